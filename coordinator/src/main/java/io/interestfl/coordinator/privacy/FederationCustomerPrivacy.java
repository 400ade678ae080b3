package io.interestfl.coordinator.privacy;

import io.interestfl.aggregation.AggregationPipeline;
import io.interestfl.aggregation.AggregationStrategy;
import io.interestfl.aggregation.CustomerDpShare;
import io.interestfl.aggregation.CustomerDpState;
import io.interestfl.aggregation.SecureQuantization;
import io.interestfl.coordinator.config.CoordinatorConfig;
import io.interestfl.privacy.budget.PrivacyBudget;
import io.interestfl.privacy.federation.CustomerDpPlan;
import io.interestfl.privacy.federation.ItemHistogramRelease;
import io.interestfl.protocol.v1.CustomerDpConfig;
import io.interestfl.protocol.v1.CustomerDpStep;
import io.interestfl.protocol.v1.Task;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * Federation-wide customer-level DP (DP-FedAvg with the merchants' customers as the users): the plan is made
 * once, when the first round opens, from the customers every registered merchant declared (N) and the target
 * epsilon: the item histogram, the transitions, then {@code rounds} model steps at rate q = customers-per-round
 * / N, with z calibrated so that all of it stays within the target ({@link CustomerDpPlan}). The plan's
 * population is kept beside the ledger, so a restarted coordinator resumes the same plan.
 *
 * <p>Every round's mechanism is recorded in the customer ledger before its sum is released; the unmasked sum
 * already carries the merchants' discrete Gaussian shares ({@link CustomerDpShare}), and is folded into the
 * federation's state by {@link CustomerDpState#commit}.
 */
public final class FederationCustomerPrivacy implements PrivacyGate {
  private static final Logger LOG = Logger.getLogger(FederationCustomerPrivacy.class.getName());

  private final CoordinatorConfig config;
  private final int modelLength;
  private final int catalogueSize;
  private final RoundLedger ledger;
  private final Path planFile;
  private CustomerDpState state;

  public FederationCustomerPrivacy(CoordinatorConfig config, int modelLength, int catalogueSize) {
    this.config = config;
    this.modelLength = modelLength;
    this.catalogueSize = catalogueSize;
    Path ledgerFile = config.resolve(config.privacy.ledger);
    this.ledger = new RoundLedger(ledgerFile, new PrivacyBudget(config.privacy.epsilon, config.privacy.delta));
    this.planFile = ledgerFile.resolveSibling(ledgerFile.getFileName() + ".population");
    if (Files.exists(planFile)) {
      try {
        long population = Long.parseLong(Files.readString(planFile, StandardCharsets.UTF_8).trim());
        this.state = plan(population);
        LOG.info("customer-level DP: resumed the plan for N = " + population + " customers: " + state.plan().round());
      } catch (IOException | NumberFormatException e) {
        throw new IllegalStateException("cannot read the customer DP plan " + planFile + ": " + e.getMessage(), e);
      }
    }
  }

  private CustomerDpState plan(long population) {
    CoordinatorConfig.Customer c = config.privacy.customer;
    int m = config.minUpdates;
    ItemHistogramRelease histogram = c.histogramItems > 0
        ? new ItemHistogramRelease(c.histogramItems, c.histogramNoiseMultiplier, m) : null;
    int head = histogram == null ? 0 : Math.min(c.transitionHead, catalogueSize - 2);
    ItemHistogramRelease transitions = head > 0
        ? new ItemHistogramRelease(c.transitionPairs, c.transitionNoiseMultiplier, m) : null;
    // A hair under the target, so the ledger's step-by-step composition never rounds past it.
    CustomerDpPlan plan = CustomerDpPlan.calibrate(config.privacy.epsilon * (1 - 1e-9), config.privacy.delta,
        config.rounds, c.customersPerRound, config.privacy.clipNorm, population, m, histogram, transitions);
    return new CustomerDpState(plan, modelLength, catalogueSize, head);
  }

  /** The state layout: model, histogram, transitions (known before the plan: it does not depend on N). */
  private int headSize() {
    CoordinatorConfig.Customer c = config.privacy.customer;
    return c.histogramItems > 0 ? Math.min(c.transitionHead, catalogueSize - 2) : 0;
  }

  @Override
  public float[] initialState(float[] model) {
    if (model.length != modelLength) {
      throw new IllegalArgumentException("initial model of " + model.length + ", expected " + modelLength);
    }
    return Arrays.copyOf(model, modelLength + catalogueSize + headSize() * headSize());
  }

  @Override
  public int releaseRounds() {
    CoordinatorConfig.Customer c = config.privacy.customer;
    return (c.histogramItems > 0 ? 1 : 0) + (headSize() > 0 ? 1 : 0);
  }

  @Override
  public String prepare(long registeredCustomers, int cohortSize) {
    if (cohortSize < config.minUpdates) {
      return null;
    }
    if (state == null) {
      if (registeredCustomers < 1) {
        return "customer-level DP needs the registered merchants' customer counts: none declared any customers";
      }
      try {
        state = plan(registeredCustomers);
        Path tmp = planFile.resolveSibling(planFile.getFileName() + ".tmp");
        Files.writeString(tmp, registeredCustomers + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, planFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (IllegalArgumentException e) {
        return "customer-level DP: " + e.getMessage();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the customer DP plan " + planFile, e);
      }
      CustomerDpPlan plan = state.plan();
      LOG.info(String.format(Locale.ROOT, "customer-level DP plan for N = %d customers: %s; %d release round(s) then "
              + "%d model steps; epsilon %.4f at delta %s when all are spent", registeredCustomers, plan.round(),
          state.releaseRounds(), plan.rounds(), plan.spentAfter(plan.rounds()).epsilon(), config.privacy.delta));
    }
    return null;
  }

  @Override
  public AggregationPipeline pipeline(AggregationStrategy serverStep, CoordinatorConfig.SecureAggregation secure) {
    return AggregationPipeline.secure(SecureQuantization.widest(1.0, 1.0), serverStep);
  }

  @Override
  public String refusal(long modelVersion, int cohortSize, int population) {
    if (state == null) {
      return "customer-level DP: no plan (no merchant has declared its customers)";
    }
    return ledger.refusal(state.mechanism(state.stepAt(modelVersion)));
  }

  @Override
  public void record(long roundId, long modelVersion, int cohortSize, int population, JsonObject entry) {
    CustomerDpState.Step step = state.stepAt(modelVersion);
    ledger.spend(roundId, state.mechanism(step));
    entry.put("customerDpStep", step.name()).put("epsilon", ledger.spent().epsilon());
  }

  @Override
  public float[] step(AggregationPipeline pipeline, long modelVersion, float[] global, float[] aggregate,
      int contributors) {
    CustomerDpState.Step step = state.stepAt(modelVersion);
    CustomerDpShare share = state.share(step, contributors);
    return state.commit(step, global, share.releasedSum(aggregate, contributors), pipeline.serverStep());
  }

  @Override
  public void describe(Task.Builder task, long modelVersion, int cohortSize) {
    if (state == null) {
      return;
    }
    CustomerDpPlan plan = state.plan();
    CoordinatorConfig.Customer c = config.privacy.customer;
    CustomerDpConfig.Builder dp = CustomerDpConfig.newBuilder()
        .setSamplingRate(plan.round().samplingRate())
        .setClipNorm(plan.round().clipNorm())
        .setNoiseMultiplier(plan.round().noiseMultiplier())
        .setPopulation(plan.round().population())
        .setMinContributors(plan.round().minContributors())
        .setExamplesPerCustomer(c.examplesPerCustomer)
        .setModelLength(modelLength)
        .setEpsilonBudget(config.privacy.epsilon)
        .setDelta(config.privacy.delta)
        .setModelSteps(plan.rounds());
    if (plan.histogram() != null) {
      dp.setHistogramItems(plan.histogram().itemsPerCustomer())
          .setHistogramNoiseMultiplier(plan.histogram().noiseMultiplier());
    }
    if (plan.transitions() != null) {
      dp.setTransitionHead(state.transitionHead()).setTransitionPairs(plan.transitions().itemsPerCustomer())
          .setTransitionNoiseMultiplier(plan.transitions().noiseMultiplier());
    }
    task.setConfig(task.getConfig().toBuilder().setCustomerDp(dp))
        .setCustomerDpStep(CustomerDpStep.valueOf(state.stepAt(modelVersion).name()))
        .setCohortSize(cohortSize);
  }

  @Override
  public void released(JsonObject entry, int clippedUpdates) {
  }

  @Override
  public String commitNote(JsonObject entry, int clippedUpdates, int participants) {
    return String.format(Locale.ROOT, ", %s released, customer epsilon %.4f (delta %s)",
        entry.getString("customerDpStep"), entry.getDouble("epsilon"), ledger.delta());
  }

  @Override
  public JsonObject status() {
    JsonObject head = new JsonObject().put("mode", "customer").put("clipNorm", config.privacy.clipNorm);
    if (state != null) {
      CustomerDpPlan plan = state.plan();
      head.put("population", plan.round().population())
          .put("samplingRate", plan.round().samplingRate())
          .put("noiseMultiplier", plan.round().noiseMultiplier())
          .put("minContributors", plan.round().minContributors())
          .put("plannedEpsilon", plan.spentAfter(plan.rounds()).epsilon())
          .put("releaseRounds", state.releaseRounds());
    }
    return ledger.status(head);
  }

  @Override
  public void close() throws IOException {
    ledger.close();
  }
}
