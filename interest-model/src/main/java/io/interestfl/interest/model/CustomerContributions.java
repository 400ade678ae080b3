package io.interestfl.interest.model;

import io.interestfl.interest.data.Basket;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.privacy.federation.CustomerDpRound;
import io.interestfl.privacy.federation.ItemHistogramRelease;
import io.interestfl.privacy.clipping.L2Clipper;
import io.interestfl.privacy.noise.GaussianNoise;
import java.security.SecureRandom;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * One merchant's part of federation-wide customer-level DP ({@link CustomerDpRound}): the clipped sum of
 * its sampled customers' contributions, and its customers' capped item counts for the private histogram
 * ({@link ItemHistogramRelease}). The noise share goes on top with {@link #addNoiseShare}; a coordinator,
 * the in-process simulator and Spark all sum these sums the same way and divide by q N
 * ({@code io.interestfl.aggregation.CustomerDpState#commit}).
 *
 * <p>A customer's contribution is the negated gradient of the mean loss over their most recent
 * {@code examplesCap} training examples, at the global model (one forward/backward pass), scaled by
 * {@code min(1, C / ||g||)} with {@link UserLevelDpTrainer#clipFactor}'s margin so that no contribution
 * exceeds C. The server optimizer then treats the released mean as a pseudo-gradient step direction:
 * distributed DP-SGD, one step per round.
 */
public final class CustomerContributions {
  /**
   * A merchant's clipped sum and what it saw (the counts are computed from raw data: keep them local).
   *
   * @param values   the sum, one entry per model parameter
   * @param sampled  customers included this round (with at least one example)
   * @param clipped  of which were clipped
   * @param meanNorm mean L2 norm before clipping
   */
  public record Sum(double[] values, long sampled, long clipped, double meanNorm) {
    public double clippedFraction() {
      return sampled == 0 ? 0 : (double) clipped / sampled;
    }
  }

  /** Test hook: every contribution as added to the sum (do not modify). */
  public interface Observer {
    void contributed(long customerId, double[] contribution);
  }

  private CustomerContributions() {}

  /**
   * Poisson-samples {@code customers} with the round's rate (from {@code rng}) and sums their clipped
   * contributions at {@code model}'s current parameters (the global model). Changes neither the model's
   * parameters nor its optimizer state.
   */
  public static Sum clippedSum(InterestModel model, List<CustomerHistory> customers, CustomerDpRound round,
      int examplesCap, SecureRandom rng, Observer observer) {
    Objects.requireNonNull(rng, "rng");
    if (examplesCap < 1) {
      throw new IllegalArgumentException("examples per customer cap must be >= 1, got " + examplesCap);
    }
    int p = model.parameterCount();
    double[] sum = new double[p];
    double[] one = observer == null ? null : new double[p];
    long sampled = 0;
    long clipped = 0;
    double normSum = 0;
    double q = round.samplingRate();
    for (CustomerHistory customer : customers) {
      // the coin is drawn for every customer, with or without examples, so timing does not tell them apart
      boolean in = q >= 1.0 || rng.nextDouble() < q;
      if (!in) {
        continue;
      }
      List<Example> examples = UserLevelDpTrainer.recentExamples(model, customer, examplesCap);
      if (examples.isEmpty()) {
        continue;   // contributes the zero vector
      }
      float[] g = model.dpBatchGradient(examples).gradient();
      double norm = L2Clipper.norm(g);
      double factor = UserLevelDpTrainer.clipFactor(norm, round.clipNorm());
      sampled++;
      normSum += norm;
      if (factor < 1) {
        clipped++;
      }
      for (int i = 0; i < p; i++) {
        double c = -g[i] * factor;
        sum[i] += c;
        if (one != null) {
          one[i] = c;
        }
      }
      if (observer != null) {
        observer.contributed(customer.customerId(), one);
      }
    }
    return new Sum(sum, sampled, clipped, sampled == 0 ? 0 : normSum / sampled);
  }

  /**
   * Each customer's at most {@code histogram.itemsPerCustomer()} distinct most recent items, counted once:
   * one count vector over the catalogue (ids outside {@code [2, catalogueSize)}, i.e. padding and OOV, are
   * not counted).
   */
  public static double[] itemCounts(List<CustomerHistory> customers, ItemHistogramRelease histogram,
      int catalogueSize) {
    double[] counts = new double[catalogueSize];
    int k = histogram.itemsPerCustomer();
    for (CustomerHistory customer : customers) {
      LinkedHashSet<Integer> recent = new LinkedHashSet<>();
      List<Basket> baskets = customer.baskets();
      for (int b = baskets.size() - 1; b >= 0 && recent.size() < k; b--) {
        int[] items = baskets.get(b).itemIds();
        for (int i = items.length - 1; i >= 0 && recent.size() < k; i--) {
          if (items[i] >= 2 && items[i] < catalogueSize) {
            recent.add(items[i]);
          }
        }
      }
      for (int item : recent) {
        counts[item] += 1;
      }
    }
    return counts;
  }

  /** Adds one merchant's share N(0, stddev^2) of the noise to {@code values}, from {@code rng}. */
  public static void addNoiseShare(double[] values, double stddev, SecureRandom rng) {
    new GaussianNoise(stddev, rng).addTo(values);
  }
}
