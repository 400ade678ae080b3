package io.interestfl.coordinator.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.interestfl.aggregation.AggregationStrategy;
import io.interestfl.aggregation.ServerOptimizers;
import io.interestfl.protocol.ConfigFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The coordinator's YAML configuration (one file per role). Keys are kebab-case; unknown keys are
 * errors (a typo must not silently fall back to a default). Relative paths are resolved against the
 * directory of the configuration file. See docs/operator-guide.md for every key.
 */
public final class CoordinatorConfig {
  public String federationId = "interestfl";
  public String host = "127.0.0.1";
  public int grpcPort = 7070;
  public int adminPort = 7071;
  public int rounds = 10;
  public int minClients = 2;
  public double cohortFraction = 1.0;
  public int cohortSize = 0;
  public int minUpdates = 2;
  public int roundTimeoutSeconds = 300;
  public int clientTimeoutSeconds = 60;
  public int maxRoundRetries = 3;
  public int maxConcurrentUploads = 8;
  /**
   * Over-selection (Bonawitz et al. 2019): a round asks this many times its cohort (rounded up, at most every active
   * client) and closes as soon as the cohort's count of updates has arrived; the stragglers' updates are refused as
   * not needed. 1 = no over-selection. Plaintext updates only (SecAgg+ completes without its dropouts itself).
   */
  public double overSelection = 1.0;
  public Pace pace = new Pace();
  /** A connection must send a request's headers (and finish its TLS handshake) within this (slowloris). */
  public int headerTimeoutSeconds = 10;
  /** An admin request must be received whole within this of its headers. */
  public int bodyTimeoutSeconds = 30;
  /** The admin port's bearer token (made on first start, owner-only); /health stays open. */
  public String adminTokenFile = "admin-token";
  /** No node may register more training examples (its FedAvg weight is capped by what it registered). */
  public long maxExamplesPerClient = 10_000_000;
  /** A plain update's L2 bound (0: none): larger updates are clipped to it, or rejected with update-norm-action. */
  public double maxUpdateNorm = 1000;
  /** clip or reject. */
  public String updateNormAction = "clip";
  public String catalogue;
  public String initialModel;
  public String checkpointDir;
  public Strategy strategy = new Strategy();
  public RobustAggregation robustAggregation = new RobustAggregation();
  public Training training = new Training();
  public Privacy privacy = new Privacy();
  public SecureAggregation secureAggregation = new SecureAggregation();
  public Tls tls = new Tls();

  /**
   * Pace steering (Bonawitz et al. 2019): a client told to wait is told when to come back, spread so that all the
   * waiting clients together poll about {@code target-polls-per-second}: {@code poll_after = registered / rate},
   * jittered uniformly by +-50% and bounded by {@code min-poll-millis} and {@code max-poll-millis}; a cohort member
   * that has sent its update comes back after the round's deadline at the latest. A federation of 100,000 nodes does
   * not stampede a 2-core coordinator.
   */
  public static final class Pace {
    public double targetPollsPerSecond = 200;
    public int minPollMillis = 500;
    public int maxPollMillis = 600_000;
  }

  /**
   * Mutual TLS on the gRPC port (on unless {@code insecure: true}): the coordinator's certificate and key, the
   * federation CA that every node's certificate must chain to, and its revocation list, reloaded while running.
   * Kits come from {@code ./interestfl admin init-ca} and {@code admin issue}.
   */
  public static final class Tls {
    /** Plaintext gRPC, no authentication: for tests on loopback only; logged as a warning every minute. */
    public boolean insecure = false;
    public String caCert;
    public String cert;
    public String key;
    /** The CA's revocation list (PEM), checked for changes every crl-reload-seconds. */
    public String crl;
    public int crlReloadSeconds = 10;
  }

  /**
   * For federations without secure aggregation or DP: aggregate the cohort's updates by their coordinate-wise
   * trimmed mean or median instead of the example-weighted mean, so that a minority of authenticated bad
   * participants cannot drag the model beyond the honest updates' range (docs/threat-model.md).
   */
  public static final class RobustAggregation {
    /** none (weighted mean), trimmed-mean or median. */
    public String method = "none";
    /** trimmed-mean: the share of values dropped at each end of every coordinate, in (0, 0.5). */
    public double trimFraction = 0.2;
  }

  /** SecAgg+ in every round: the coordinator sees only the sum of the cohort's updates. */
  public static final class SecureAggregation {
    public boolean enabled = false;
    /** Each update coordinate is clipped to [-clip-range, clip-range] before quantization. */
    public double clipRange = 0.1;
    public int precisionBits = 24;
    /** Example weights above this are capped (weights travel inside the masked vector). */
    public double maxWeight = 100_000;
    /** Used to choose the neighbour degree k and Shamir threshold t (docs/secure-aggregation.md). */
    public double expectedDropout = 0.1;
    public double corruptFraction = 0.05;
    /** Deadline of each phase after the first (whose deadline is the round's). */
    public int phaseTimeoutSeconds = 60;
  }

  /** Client-level differential privacy of the released models (see docs/privacy.md). */
  public static final class Privacy {
    /**
     * none; customer (federation-wide customer-level DP: every merchant Poisson-samples its customers, clips,
     * sums and adds its noise share under secure aggregation; one customer ledger); central (merchant-level
     * DP-FedAvg: the coordinator clips, adds Gaussian noise and keeps the ledger); or distributed
     * (merchant-level, with secure aggregation: clients add discrete Gaussian noise before masking).
     */
    public String mode = "none";
    public double clipNorm = 1.0;
    public double noiseMultiplier = 1.0;
    /** The (epsilon, delta) budget no round may exceed. */
    public double epsilon = 10.0;
    public double delta = 1e-5;
    /** Append-only ledger file, resolved against the configuration file's directory. */
    public String ledger = "privacy-ledger.txt";
    /** Central mode: move the clip norm toward a quantile of the update norms (Andrew et al. 2021). */
    public AdaptiveClipping adaptiveClipping = new AdaptiveClipping();
    /** Customer mode: the releases and rounds; clip-norm is C, epsilon/delta the customers' target. */
    public Customer customer = new Customer();
  }

  /** Federation-wide customer-level DP (docs/privacy.md); noise multiplier z is calibrated to privacy.epsilon. */
  public static final class Customer {
    /** Expected sampled customers per round over the federation, q N. */
    public double customersPerRound = 512;
    /** A customer's most recent training examples that count in their gradient. */
    public int examplesPerCustomer = 32;
    /** k distinct recent items per customer in the item histogram (0: no histogram, no transitions). */
    public int histogramItems = 20;
    public double histogramNoiseMultiplier = 5;
    /** Head of the catalogue the private transitions cover (0: none). */
    public int transitionHead = 100;
    public int transitionPairs = 40;
    public double transitionNoiseMultiplier = 2;
  }

  public static final class AdaptiveClipping {
    public boolean enabled = false;
    public double targetQuantile = 0.5;
    public double learningRate = 0.2;
    /** Stddev of the noise on the unclipped count; 0 = cohort size / 20 (Andrew et al.). */
    public double countNoiseStddev = 0;
  }

  public static final class Strategy {
    public String name = "fedavg";
    public double serverLearningRate = 1.0;
    public double beta1 = 0.9;
    public double beta2 = 0.99;
    public double tau = 1e-3;
  }

  public static final class Training {
    public int localEpochs = 1;
    public int batchSize = 64;
    public double learningRate = 1e-3;
    public long seed = 7;
    /**
     * Nodes continue their local Adam state across rounds instead of restarting it on each global model: about
     * twice the progress of early rounds (docs/benchmarks.md, issue 13).
     */
    public boolean carryOptimizerState = true;
    /**
     * SCAFFOLD drift correction (docs/protocol.md): the federation's vector carries its mean gradient beside the
     * model and each node corrects its local steps with it: federated 0.79x -> 1.03x centralized on an IID log
     * (docs/benchmarks.md). Applies with {@code privacy.mode: none} only (the mean gradients are not private); other
     * modes run without it. Off by default: a node that trains under its own customer-level DP cannot send its
     * mean gradient and withdraws from such a federation, so the operator turns it on where no node does.
     */
    public boolean driftCorrection = false;
    /**
     * Average every coordinate over the nodes whose update changed it ({@code SparseMean}), so that an item's
     * embedding row is not pulled towards zero by the nodes none of whose customers had the item: on a sparse log
     * (10,000 items, most seen by one node) it is what lets federated training follow centralized (docs/benchmarks.md).
     * Needs the updates in the clear ({@code privacy.mode: none}, no secure or robust aggregation): a masked sum
     * cannot tell which nodes touched a coordinate. Off by default.
     */
    public boolean sparseRows = false;
    public Model model = new Model();
  }

  public static final class Model {
    public String architecture = "lstm";
    public int historyLength = 20;
    public int embeddingSize = 32;
    public int hiddenSize = 64;
    /** Behaviour, time-gap and age inputs (InterestModel); must match the initial model file. */
    public boolean contextInputs = false;
  }

  @JsonIgnore
  private Path baseDirectory = Path.of(".");

  /** Reads and validates a configuration file; the message of any failure names the file and key. */
  public static CoordinatorConfig load(Path file) {
    CoordinatorConfig config = ConfigFiles.readYaml(file, CoordinatorConfig.class);
    config.baseDirectory = file.toAbsolutePath().getParent();
    config.validate(file.toString());
    return config;
  }

  /** Validates values; throws with every problem found, each naming its key. */
  public CoordinatorConfig validate(String source) {
    List<String> problems = new ArrayList<>();
    if (federationId == null || !federationId.matches("[A-Za-z0-9._-]{1,64}")) {
      problems.add("federation-id must be 1-64 characters of [A-Za-z0-9._-], got '" + federationId + "'");
    }
    if (grpcPort < 0 || grpcPort > 65535) problems.add("grpc-port must be 0..65535, got " + grpcPort);
    if (adminPort < 0 || adminPort > 65535) problems.add("admin-port must be 0..65535, got " + adminPort);
    if (rounds < 1) problems.add("rounds must be >= 1, got " + rounds);
    if (minClients < 1) problems.add("min-clients must be >= 1, got " + minClients);
    if (!(cohortFraction > 0 && cohortFraction <= 1)) {
      problems.add("cohort-fraction must be in (0, 1], got " + cohortFraction);
    }
    if (cohortSize < 0) problems.add("cohort-size must be >= 0 (0 = use cohort-fraction), got " + cohortSize);
    if (minUpdates < 1) problems.add("min-updates must be >= 1, got " + minUpdates);
    if (cohortSize > 0 && minUpdates > cohortSize) {
      problems.add("min-updates (" + minUpdates + ") cannot exceed cohort-size (" + cohortSize + ")");
    }
    if (minUpdates > minClients && cohortSize == 0 && cohortFraction == 1.0) {
      problems.add("min-updates (" + minUpdates + ") cannot exceed min-clients (" + minClients + ")");
    }
    if (roundTimeoutSeconds < 1) problems.add("round-timeout-seconds must be >= 1, got " + roundTimeoutSeconds);
    if (clientTimeoutSeconds < 1) problems.add("client-timeout-seconds must be >= 1, got " + clientTimeoutSeconds);
    if (maxRoundRetries < 0) problems.add("max-round-retries must be >= 0, got " + maxRoundRetries);
    if (maxExamplesPerClient < 1) problems.add("max-examples-per-client must be >= 1, got " + maxExamplesPerClient);
    if (!(maxUpdateNorm >= 0)) problems.add("max-update-norm must be >= 0 (0: no bound), got " + maxUpdateNorm);
    if (!List.of("clip", "reject").contains(updateNormAction)) {
      problems.add("update-norm-action must be clip or reject, got '" + updateNormAction + "'");
    }
    if (headerTimeoutSeconds < 1) problems.add("header-timeout-seconds must be >= 1, got " + headerTimeoutSeconds);
    if (bodyTimeoutSeconds < 1) problems.add("body-timeout-seconds must be >= 1, got " + bodyTimeoutSeconds);
    if (maxConcurrentUploads < 1) problems.add("max-concurrent-uploads must be >= 1, got " + maxConcurrentUploads);
    if (!(overSelection >= 1 && overSelection <= 3)) {
      problems.add("over-selection must be in [1, 3] (1: none; 1.3 asks 30% more clients than the round needs), got "
          + overSelection);
    }
    if (overSelection > 1 && secureAggregation.enabled) {
      problems.add("over-selection needs plaintext updates: with secure-aggregation.enabled the SecAgg+ exchange "
          + "already completes without its dropouts (set over-selection: 1)");
    }
    if (!(pace.targetPollsPerSecond > 0)) {
      problems.add("pace.target-polls-per-second must be > 0, got " + pace.targetPollsPerSecond);
    }
    if (pace.minPollMillis < 1 || pace.maxPollMillis < pace.minPollMillis) {
      problems.add("pace needs 1 <= min-poll-millis <= max-poll-millis, got " + pace.minPollMillis + " and "
          + pace.maxPollMillis);
    }
    if (catalogue == null) problems.add("catalogue (path to the product list) is required");
    if (initialModel == null) problems.add("initial-model (path to the initial model file) is required");
    if (training.localEpochs < 1) problems.add("training.local-epochs must be >= 1, got " + training.localEpochs);
    if (training.batchSize < 1) problems.add("training.batch-size must be >= 1, got " + training.batchSize);
    if (!(training.learningRate > 0)) problems.add("training.learning-rate must be > 0, got " + training.learningRate);
    if (!List.of("lstm", "gru", "attention", "sasrec").contains(training.model.architecture)) {
      problems.add("training.model.architecture must be lstm, gru, attention or sasrec, got '" + training.model.architecture + "'");
    }
    if (training.sparseRows && (!"none".equals(privacy.mode) || secureAggregation.enabled
        || !"none".equals(robustAggregation.method))) {
      problems.add("training.sparse-rows averages each coordinate over the nodes that changed it, which needs the "
          + "updates in the clear: privacy.mode none, secure-aggregation.enabled false and robust-aggregation.method none");
    }
    if ("sasrec".equals(training.model.architecture) && training.model.contextInputs) {
      problems.add("training.model.architecture sasrec has no context inputs: set training.model.context-inputs: false");
    }
    if (training.model.historyLength < 1) problems.add("training.model.history-length must be >= 1");
    if (training.model.embeddingSize < 1) problems.add("training.model.embedding-size must be >= 1");
    if (training.model.hiddenSize < 1) problems.add("training.model.hidden-size must be >= 1");
    switch (privacy.mode) {
      case "none" -> { }
      case "central", "distributed", "customer" -> {
        if (!(privacy.clipNorm > 0)) problems.add("privacy.clip-norm must be > 0, got " + privacy.clipNorm);
        if (!(privacy.noiseMultiplier > 0)) problems.add("privacy.noise-multiplier must be > 0, got " + privacy.noiseMultiplier);
        if (!(privacy.epsilon > 0)) problems.add("privacy.epsilon must be > 0, got " + privacy.epsilon);
        if (!(privacy.delta > 0 && privacy.delta < 1)) problems.add("privacy.delta must be in (0, 1), got " + privacy.delta);
        if (privacy.ledger == null) problems.add("privacy.ledger (a file path) is required in central mode");
        if (privacy.adaptiveClipping.enabled && !"central".equals(privacy.mode)) {
          problems.add("privacy.adaptive-clipping needs privacy.mode central (the coordinator counts unclipped updates)");
        }
        if (privacy.adaptiveClipping.enabled && !(privacy.adaptiveClipping.targetQuantile > 0
            && privacy.adaptiveClipping.targetQuantile < 1)) {
          problems.add("privacy.adaptive-clipping.target-quantile must be in (0, 1)");
        }
      }
      default -> problems.add("privacy.mode must be none, customer, central or distributed, got '" + privacy.mode + "'");
    }
    if ("customer".equals(privacy.mode)) {
      Customer c = privacy.customer;
      if (!secureAggregation.enabled) {
        problems.add("privacy.mode customer sums noise shares inside secure aggregation: set secure-aggregation.enabled: true");
      }
      if (!(c.customersPerRound > 0)) problems.add("privacy.customer.customers-per-round must be > 0, got " + c.customersPerRound);
      if (c.examplesPerCustomer < 1) problems.add("privacy.customer.examples-per-customer must be >= 1, got " + c.examplesPerCustomer);
      if (c.histogramItems < 0) problems.add("privacy.customer.histogram-items must be >= 0, got " + c.histogramItems);
      if (c.histogramItems > 0 && !(c.histogramNoiseMultiplier > 0)) {
        problems.add("privacy.customer.histogram-noise-multiplier must be > 0, got " + c.histogramNoiseMultiplier);
      }
      if (c.transitionHead < 0) problems.add("privacy.customer.transition-head must be >= 0, got " + c.transitionHead);
      if (c.transitionHead > 0 && c.histogramItems == 0) {
        problems.add("privacy.customer.transition-head needs the item histogram (histogram-items > 0): its head is "
            + "the histogram's most frequent items");
      }
      if (c.transitionHead > 0 && (c.transitionPairs < 1 || !(c.transitionNoiseMultiplier > 0))) {
        problems.add("privacy.customer.transition-pairs must be >= 1 and transition-noise-multiplier > 0");
      }
      if (privacy.adaptiveClipping.enabled) {
        problems.add("privacy.adaptive-clipping is for privacy.mode central");
      }
    }
    if ("distributed".equals(privacy.mode) && !secureAggregation.enabled) {
      problems.add("privacy.mode distributed adds noise inside secure aggregation: set secure-aggregation.enabled: true");
    }
    if (secureAggregation.enabled) {
      if (minClients < 3 || minUpdates < 2) {
        problems.add("secure aggregation needs min-clients >= 3 and min-updates >= 2 (a sum of one is no secret), got "
            + minClients + " and " + minUpdates);
      }
      if (!(secureAggregation.clipRange > 0)) problems.add("secure-aggregation.clip-range must be > 0");
      if (secureAggregation.precisionBits < 2 || secureAggregation.precisionBits > 28) {
        problems.add("secure-aggregation.precision-bits must be in 2..28, got " + secureAggregation.precisionBits);
      }
      if (!(secureAggregation.maxWeight > 0)) problems.add("secure-aggregation.max-weight must be > 0");
      if (secureAggregation.phaseTimeoutSeconds < 1) problems.add("secure-aggregation.phase-timeout-seconds must be >= 1");
      if ("central".equals(privacy.mode)) {
        problems.add("privacy.mode central needs the coordinator to see each update; it cannot be combined with "
            + "secure-aggregation: use privacy.mode distributed");
      }
    }
    switch (robustAggregation.method) {
      case "none" -> { }
      case "trimmed-mean", "median" -> {
        if (secureAggregation.enabled || !"none".equals(privacy.mode)) {
          problems.add("robust-aggregation." + robustAggregation.method + " needs every update in the clear and no "
              + "DP noise on a sum: it needs secure-aggregation.enabled: false and privacy.mode none");
        }
        if ("trimmed-mean".equals(robustAggregation.method) && !(robustAggregation.trimFraction > 0
            && robustAggregation.trimFraction < 0.5)) {
          problems.add("robust-aggregation.trim-fraction must be in (0, 0.5), got " + robustAggregation.trimFraction);
        } else if ("trimmed-mean".equals(robustAggregation.method)
            && Math.floor(robustAggregation.trimFraction * minUpdates) < 1) {
          problems.add("robust-aggregation.trim-fraction " + robustAggregation.trimFraction + " trims nothing from a "
              + "round of min-updates " + minUpdates + ": raise min-updates to at least "
              + (int) Math.ceil(1 / robustAggregation.trimFraction) + " or the fraction");
        }
        if ("median".equals(robustAggregation.method) && minUpdates < 3) {
          problems.add("robust-aggregation.median needs min-updates >= 3 (the median of two is their mean), got "
              + minUpdates);
        }
      }
      default -> problems.add("robust-aggregation.method must be none, trimmed-mean or median, got '"
          + robustAggregation.method + "'");
    }
    if (!tls.insecure && (tls.caCert == null || tls.cert == null || tls.key == null)) {
      problems.add("tls.ca-cert, tls.cert and tls.key are required (mutual TLS is on by default; make them with "
          + "./interestfl admin init-ca and admin issue coordinator --role coordinator), or set tls.insecure: true "
          + "for plaintext on a trusted loopback");
    }
    if (tls.crlReloadSeconds < 1) problems.add("tls.crl-reload-seconds must be >= 1, got " + tls.crlReloadSeconds);
    try {
      strategy();
    } catch (IllegalArgumentException e) {
      problems.add("strategy: " + e.getMessage());
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(source + ": invalid configuration:\n  - " + String.join("\n  - ", problems));
    }
    return this;
  }

  /** A fresh instance of the configured aggregation strategy. */
  public AggregationStrategy strategy() {
    return ServerOptimizers.create(strategy.name, strategy.serverLearningRate, strategy.beta1, strategy.beta2,
        strategy.tau);
  }

  public Path resolve(String path) {
    return path == null ? null : baseDirectory.resolve(path).normalize();
  }

  public CoordinatorConfig baseDirectory(Path directory) {
    this.baseDirectory = directory;
    return this;
  }
}
