package io.interestfl.client.node;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.interestfl.protocol.ConfigFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A client node's YAML configuration: who it is, where the coordinator is, and which private data
 * it trains on. Keys are kebab-case; unknown keys are errors. Relative paths are resolved against the
 * configuration file's directory.
 */
public final class ClientConfig {
  public String name;
  public String region = "";
  public String coordinator = "127.0.0.1:7070";
  public String federationId = "interestfl";
  public String data;
  /** Countries whose rows this merchant holds (Online Retail); empty means all. */
  public List<String> countries = new ArrayList<>();
  /** Optional split of the selected customers into buckets by a hash of the customer id. */
  public Partition partition;
  public boolean skipMalformed = false;
  public int threads = 1;
  /** After the federation, also train alone and score a local popularity baseline (for comparison). */
  public boolean baselines = false;
  /**
   * After the federation, fine-tune the final model on this node's data for 0..N epochs chosen on its own
   * validation baskets, then evaluate and serve that model (0: serve the global model). Not with
   * customer-level DP: the adaptation is not private.
   */
  public int adaptEpochs = 0;
  /** Customer-level DP inside this node: per-customer clipping and noise in local training. */
  public UserLevelPrivacy userLevelPrivacy = new UserLevelPrivacy();
  /** Where the SecAgg+ Ed25519 signing key is kept (owner-only); default secagg-identity-NAME.key. */
  public String identityKey;
  /** Mutual TLS to the coordinator (on unless {@code insecure: true}); the files of the node's startup kit. */
  public Tls tls = new Tls();
  /** What this node accepts of a federation that runs federation-wide customer-level DP. */
  public FederationPrivacy federationPrivacy = new FederationPrivacy();
  /** Optional: serve recommendations over HTTP with the final model (see docs/recommendations.md). */
  public java.util.Map<String, Object> serving;

  public static final class UserLevelPrivacy {
    public boolean enabled = false;
    /** Per-customer L2 bound of a step's gradient contribution. */
    public double clipNorm = 1.0;
    public double noiseMultiplier = 1.0;
    /** Expected customers per DP-SGD step (Poisson sampling rate q = this / customers). */
    public double customersPerStep = 64;
    /** The (epsilon, delta) budget for this merchant's customers; training stops before exceeding it. */
    public double epsilon = 10;
    public double delta = 1e-5;
    /** Durable ledger of this node's releases; resolved against the configuration file's directory. */
    public String ledger;
  }

  /**
   * The node's own checks of a federation-wide customer-level DP round before it contributes (docs/privacy.md):
   * it refuses a round whose parameters fail them and withdraws once its customers' epsilon would pass max-epsilon.
   */
  public static final class FederationPrivacy {
    /** This node's customers' epsilon may not exceed this, over every release it contributes to. */
    public double maxEpsilon = 10;
    /** The federation's delta may not exceed this. */
    public double maxDelta = 1e-5;
    /** The least noise multiplier of a model step this node accepts. */
    public double minNoiseMultiplier = 0.3;
    /** The fewest merchants whose noise shares a released sum must contain. */
    public int minContributors = 2;
    /** Durable ledger of what this node's customers spent; default customer-ledger-NAME.txt. */
    public String ledger;
  }

  public static final class Tls {
    /** Plaintext and unauthenticated: only for a coordinator run with tls.insecure on a trusted loopback. */
    public boolean insecure = false;
    /** The federation CA (the coordinator's certificate must chain to it and name the host connected to). */
    public String caCert;
    /** This node's certificate (its common name must be the node's name) and key. */
    public String cert;
    public String key;
  }

  public static final class Partition {
    public int buckets = 1;
    public int bucket = 0;
  }

  @JsonIgnore
  private Path baseDirectory = Path.of(".");

  public static ClientConfig load(Path file) {
    ClientConfig config = ConfigFiles.readYaml(file, ClientConfig.class);
    config.baseDirectory = file.toAbsolutePath().getParent();
    return config.validate(file.toString());
  }

  public ClientConfig validate(String source) {
    List<String> problems = new ArrayList<>();
    if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
      problems.add("name must be 1-64 characters of [A-Za-z0-9._-], got '" + name + "'");
    }
    if (coordinator == null || !coordinator.matches("[^:]+:\\d{1,5}")) {
      problems.add("coordinator must be host:port, got '" + coordinator + "'");
    }
    if (data == null) {
      problems.add("data (path to the behaviour log) is required");
    } else if (!Files.isReadable(dataPath())) {
      problems.add("data file " + dataPath() + " does not exist or is not readable");
    }
    if (adaptEpochs < 0 || adaptEpochs > 1000) {
      problems.add("adapt-epochs must be 0..1000, got " + adaptEpochs);
    }
    if (partition != null && (partition.buckets < 1 || partition.bucket < 0 || partition.bucket >= partition.buckets)) {
      problems.add("partition needs buckets >= 1 and 0 <= bucket < buckets, got bucket " + partition.bucket
          + " of " + partition.buckets);
    }
    if (userLevelPrivacy.enabled) {
      if (!(userLevelPrivacy.clipNorm > 0)) problems.add("user-level-privacy.clip-norm must be > 0");
      if (!(userLevelPrivacy.noiseMultiplier > 0)) problems.add("user-level-privacy.noise-multiplier must be > 0");
      if (!(userLevelPrivacy.customersPerStep > 0)) problems.add("user-level-privacy.customers-per-step must be > 0");
      if (!(userLevelPrivacy.epsilon > 0)) problems.add("user-level-privacy.epsilon must be > 0");
      if (!(userLevelPrivacy.delta > 0 && userLevelPrivacy.delta < 1)) problems.add("user-level-privacy.delta must be in (0, 1)");
    }
    if (!tls.insecure && (tls.caCert == null || tls.cert == null || tls.key == null)) {
      problems.add("tls.ca-cert, tls.cert and tls.key are required (mutual TLS is on by default; the kit comes from "
          + "./interestfl admin issue " + name + "), or set tls.insecure: true for a plaintext coordinator");
    }
    if (!(federationPrivacy.maxEpsilon > 0) || !(federationPrivacy.maxDelta > 0 && federationPrivacy.maxDelta < 1)
        || !(federationPrivacy.minNoiseMultiplier >= 0) || federationPrivacy.minContributors < 1) {
      problems.add("federation-privacy needs max-epsilon > 0, max-delta in (0, 1), min-noise-multiplier >= 0 and "
          + "min-contributors >= 1");
    }
    if (serving != null) {
      try {
        servingConfig();
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    if (threads < 1) {
      problems.add("threads must be >= 1, got " + threads);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(source + ": invalid configuration:\n  - " + String.join("\n  - ", problems));
    }
    return this;
  }

  /** The node's privacy ledger: the configured path, or privacy-ledger-NAME.txt beside the configuration. */
  public Path ledgerPath() {
    return baseDirectory.resolve(userLevelPrivacy.ledger != null ? userLevelPrivacy.ledger
        : "privacy-ledger-" + name + ".txt").normalize();
  }

  /** The node's SecAgg+ signing key, kept across restarts: {@code secagg-identity-NAME.key} beside the configuration. */
  public Path identityKeyPath() {
    return baseDirectory.resolve(identityKey != null ? identityKey : "secagg-identity-" + name + ".key").normalize();
  }

  /** The ledger of federation-wide customer-level DP at this node. */
  public Path federationLedgerPath() {
    return baseDirectory.resolve(federationPrivacy.ledger != null ? federationPrivacy.ledger
        : "customer-ledger-" + name + ".txt").normalize();
  }

  /** The serving section with its feedback log resolved against the configuration's directory; null if absent. */
  public io.interestfl.serving.ServingConfig servingConfig() {
    if (serving == null) {
      return null;
    }
    java.util.Map<String, Object> resolved = new java.util.HashMap<>(serving);
    Object log = resolved.get("feedback-log");
    if (log != null) {
      resolved.put("feedback-log", baseDirectory.resolve(log.toString()).normalize().toString());
    }
    return io.interestfl.serving.ServingConfig.fromMap(resolved);
  }

  /** A file of the configuration (resolved against its directory). */
  public Path resolve(String path) {
    return baseDirectory.resolve(path).normalize();
  }

  public Path dataPath() {
    return baseDirectory.resolve(data).normalize();
  }

  public String coordinatorHost() {
    return coordinator.substring(0, coordinator.lastIndexOf(':'));
  }

  public int coordinatorPort() {
    return Integer.parseInt(coordinator.substring(coordinator.lastIndexOf(':') + 1));
  }

  public ClientConfig baseDirectory(Path directory) {
    this.baseDirectory = directory;
    return this;
  }
}
