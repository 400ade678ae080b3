package io.interestfl.aggregation;

import io.interestfl.privacy.accounting.PrivacyMechanism;
import io.interestfl.privacy.federation.CustomerDpPlan;
import io.interestfl.privacy.federation.CustomerDpRound;
import io.interestfl.privacy.federation.ItemHistogramRelease;
import io.interestfl.privacy.federation.PopularityPrior;

/**
 * The federation's state under federation-wide customer-level DP, one flat vector that the coordinator
 * checkpoints and every node downloads: the interest model's {@code P} parameters, then the released item
 * histogram (one count per catalogue id), then the released head x head transition counts. Every round is
 * one release into it, in a fixed order by model version: the histogram (v0), the transitions (v1), then
 * model steps. The maths of each (what a merchant's share covers, and how the released sum is folded into
 * the state) exists here once, for the coordinator and the in-process simulator alike.
 *
 * <p>The output bias must be the model's last {@code C} parameters (the node checks): the histogram's
 * commit writes the popularity prior there, so the model starts at popularity.
 */
public final class CustomerDpState {
  /** What one round releases. */
  public enum Step { ITEM_HISTOGRAM, ITEM_TRANSITIONS, MODEL_STEP }

  private final CustomerDpPlan plan;
  private final int modelLength;
  private final int catalogueSize;
  private final int transitionHead;

  /**
   * @param plan           the releases and the rounds' parameters
   * @param modelLength    P
   * @param catalogueSize  C (padding and OOV included)
   * @param transitionHead H, 0 without transitions (must be 0 when the plan has none)
   */
  public CustomerDpState(CustomerDpPlan plan, int modelLength, int catalogueSize, int transitionHead) {
    if ((plan.transitions() == null) != (transitionHead == 0) || plan.transitions() != null && plan.histogram() == null) {
      throw new IllegalArgumentException("customer DP state: transitions need the histogram and a head > 0, "
          + "and a head needs transitions (head " + transitionHead + ")");
    }
    if (catalogueSize < 3 || modelLength < catalogueSize || transitionHead < 0
        || transitionHead > catalogueSize - 2) {
      throw new IllegalArgumentException("customer DP state: model of " + modelLength + " parameters, catalogue of "
          + catalogueSize + ", head " + transitionHead + " do not fit");
    }
    this.plan = plan;
    this.modelLength = modelLength;
    this.catalogueSize = catalogueSize;
    this.transitionHead = transitionHead;
  }

  public CustomerDpPlan plan() {
    return plan;
  }

  public int modelLength() {
    return modelLength;
  }

  public int catalogueSize() {
    return catalogueSize;
  }

  public int transitionHead() {
    return transitionHead;
  }

  /** P + C + H^2 (the histogram region is there even when the plan has no histogram). */
  public int stateLength() {
    return modelLength + catalogueSize + transitionHead * transitionHead;
  }

  /** Rounds that release statistics before the model steps. */
  public int releaseRounds() {
    return (plan.histogram() != null ? 1 : 0) + (plan.transitions() != null ? 1 : 0);
  }

  /** The release of the round that starts from {@code modelVersion}. */
  public Step stepAt(long modelVersion) {
    if (modelVersion == 0 && plan.histogram() != null) {
      return Step.ITEM_HISTOGRAM;
    }
    if (modelVersion == 1 && plan.transitions() != null) {
      return Step.ITEM_TRANSITIONS;
    }
    return Step.MODEL_STEP;
  }

  /** What one round of {@code step} costs every customer of the federation. */
  public PrivacyMechanism mechanism(Step step) {
    return switch (step) {
      case ITEM_HISTOGRAM -> plan.histogram().mechanism();
      case ITEM_TRANSITIONS -> plan.transitions().mechanism();
      case MODEL_STEP -> plan.round().mechanism();
    };
  }

  /**
   * A merchant's share of {@code step} in a cohort of {@code cohortSize}: counts are bounded by N (no merchant
   * has more customers), a merchant's sum of clipped gradients by q N C per coordinate.
   */
  public CustomerDpShare share(Step step, int cohortSize) {
    CustomerDpRound round = plan.round();
    int p = CustomerDpShare.precisionFor(cohortSize);
    int m = round.minContributors();
    double population = round.population();
    return switch (step) {
      case ITEM_HISTOGRAM -> new CustomerDpShare(population, plan.histogram().sensitivity(),
          plan.histogram().noiseMultiplier(), m, p, modelLength, catalogueSize);
      case ITEM_TRANSITIONS -> new CustomerDpShare(population, plan.transitions().sensitivity(),
          plan.transitions().noiseMultiplier(), m, p, modelLength + catalogueSize, transitionHead * transitionHead);
      case MODEL_STEP -> new CustomerDpShare(Math.max(round.clipNorm(), round.expectedCustomers() * round.clipNorm()),
          round.clipNorm(), round.noiseMultiplier(), m, p, 0, modelLength);
    };
  }

  /** The model's parameters in {@code state}. */
  public float[] model(float[] state) {
    checkLength(state);
    return java.util.Arrays.copyOf(state, modelLength);
  }

  /** The released item histogram in {@code state} (zeros before its release). */
  public double[] histogram(float[] state) {
    return region(state, modelLength, catalogueSize);
  }

  /** The released head x head transitions in {@code state}, row-major (empty without transitions). */
  public double[] transitions(float[] state) {
    return region(state, modelLength + catalogueSize, transitionHead * transitionHead);
  }

  /** True once {@code modelVersion} comes after the histogram's release. */
  public boolean histogramReleased(long modelVersion) {
    return plan.histogram() != null && modelVersion >= 1;
  }

  /** True once {@code modelVersion} comes after the transitions' release. */
  public boolean transitionsReleased(long modelVersion) {
    return plan.transitions() != null && modelVersion >= 2;
  }

  /**
   * The next state after {@code step}'s release of {@code released} (the region's noisy sum in natural units):
   * a histogram is stored and sets the output bias to the popularity prior; transitions are stored; a model
   * step divides by q N and hands the model's pseudo-gradient to {@code serverStep} (zero on the statistics).
   */
  public float[] commit(Step step, float[] state, double[] released, AggregationStrategy serverStep) {
    checkLength(state);
    CustomerDpShare share = share(step, 1);
    if (released.length != share.length()) {
      throw new IllegalArgumentException("released " + released.length + " values for a region of " + share.length());
    }
    if (step == Step.MODEL_STEP) {
      float[] delta = new float[state.length];
      double expected = plan.round().expectedCustomers();
      for (int i = 0; i < released.length; i++) {
        delta[i] = (float) (released[i] / expected);
      }
      return serverStep.apply(state, delta);
    }
    float[] next = state.clone();
    for (int i = 0; i < released.length; i++) {
      next[share.offset() + i] = (float) released[i];
    }
    if (step == Step.ITEM_HISTOGRAM) {
      PopularityPrior.applyTo(next, modelLength - catalogueSize, released);
    }
    return next;
  }

  private double[] region(float[] state, int offset, int length) {
    checkLength(state);
    double[] out = new double[length];
    for (int i = 0; i < length; i++) {
      out[i] = state[offset + i];
    }
    return out;
  }

  private void checkLength(float[] state) {
    if (state.length != stateLength()) {
      throw new IllegalArgumentException("customer DP state of " + state.length + " values, expected "
          + stateLength() + " (model " + modelLength + " + catalogue " + catalogueSize + " + head^2 "
          + transitionHead * transitionHead + ")");
    }
  }
}
