package io.interestfl.interest.evaluation;

import io.interestfl.interest.data.HeldOutBasket;
import io.interestfl.interest.data.ItemCatalogue;
import io.interestfl.interest.data.TimedHistory;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Repeat or explore, decided per customer and step (the mixture of RepeatNet, Ren et al. AAAI 2019):
 * {@code p(i) = g * repeat(i) + (1 - g) * explore(i)}, where
 * <ul>
 *   <li>{@code repeat} is the customer's own history, each occurrence weighted {@code decay^d} by its distance
 *       {@code d} from the end (the recency-weighted frequencies of {@link HistoryMixScorer});</li>
 *   <li>{@code explore} is the base scorer's distribution (a model's softmax) renormalised over the items the
 *       customer has <i>not</i> had yet, as RepeatNet's explore decoder masks the history;</li>
 *   <li>{@code g}, the probability that the next item is a repeat, is this customer's own repeat rate so far,
 *       shrunk towards the population's: {@code g = (repeats + a g0) / (trials + a)} ({@link RepeatRate}, prior
 *       strength {@code a}). A customer with no history gets {@code g0}; one with a long record, their own.</li>
 * </ul>
 * On a log where nobody repeats (ratings) {@code g0} is 0 and the scorer is the model restricted to new items; on
 * retail baskets, where most of a basket was bought before, it leans on the history customer by customer. Nothing is
 * tuned on the test baskets: {@code g0} comes from the training histories.
 */
public final class RepeatExploreScorer implements CaseScorer {
  /** Prior strength {@code a}, in items: the population rate counts as this many observed items. */
  public static final double DEFAULT_PRIOR = 10;
  /** Recency decay of the repeat distribution per history position (1: plain counts). */
  public static final double DEFAULT_DECAY = 1.0;

  /**
   * Gate scales {@link #choose} tries on validation: 0 is the base scorer alone (no mixture), a large one the
   * customer's own history first whenever they have one.
   */
  public static final double[] SCALES = {0, 0.5, 1, 2, 4, 1000};

  /**
   * How the mixture is set: {@code g = min(1, scale x gate)}; {@code masked}: the explore part covers only items the
   * customer has not had (RepeatNet), else every item (an item both rebought and liked by the model gets both
   * shares). Scale 0 is the base scorer alone.
   */
  public record Gate(double scale, boolean masked) {
    public static final Gate PLAIN = new Gate(1, true);

    public Gate {
      if (!(scale >= 0) || !Double.isFinite(scale)) {
        throw new IllegalArgumentException("gate scale must be >= 0, got " + scale);
      }
    }

    /** The scorer this gate makes of {@code explore}. */
    public CaseScorer apply(CaseScorer explore, RepeatRate population) {
      return scale == 0 ? explore
          : new RepeatExploreScorer(explore, population, DEFAULT_PRIOR, DEFAULT_DECAY, scale, masked);
    }

    @Override
    public String toString() {
      return scale == 0 ? "model alone" : "scale " + scale + (masked ? ", explore masked" : ", explore unmasked");
    }
  }

  private final CaseScorer explore;
  private final double populationRate;
  private final double prior;
  private final double decay;
  private final double scale;
  private final boolean masked;

  public RepeatExploreScorer(CaseScorer explore, RepeatRate population) {
    this(explore, population, DEFAULT_PRIOR, DEFAULT_DECAY, 1, true);
  }

  /** With the gate scaled: {@code g = min(1, scale x (repeats + a g0) / (trials + a))}, explore masked. */
  public RepeatExploreScorer(CaseScorer explore, RepeatRate population, double scale) {
    this(explore, population, DEFAULT_PRIOR, DEFAULT_DECAY, scale, true);
  }

  /**
   * The gate of {@link #SCALES} x {masked, unmasked} whose scorer has the best NDCG@10 on {@code validation} (ties
   * go to the earlier: smaller scale, masked first); {@link Gate#PLAIN} with no validation case. The validation cases
   * must be held out of the base scorer's training data, or the choice leans to the model.
   */
  public static Gate choose(CaseScorer explore, RepeatRate population, List<HeldOutBasket> validation,
      int catalogueSize) {
    return chooseScored(explore, population, validation, catalogueSize).gate();
  }

  /** A gate chosen on validation and its validation NDCG@10 (NaN for {@link Gate#PLAIN} without validation). */
  public record Choice(Gate gate, double ndcg) {}

  /**
   * As {@link #choose}, with the chosen gate's validation NDCG@10. The base scorer runs once over {@code validation},
   * not once per gate.
   */
  public static Choice chooseScored(CaseScorer explore, RepeatRate population, List<HeldOutBasket> validation,
      int catalogueSize) {
    if (validation.isEmpty()) {
      return new Choice(Gate.PLAIN, Double.NaN);
    }
    float[][] base = explore.score(validation);
    Map<HeldOutBasket, float[]> row = new IdentityHashMap<>();
    for (int u = 0; u < base.length; u++) {
      row.put(validation.get(u), base[u]);
    }
    // the evaluator asks in batches, and the mixture rewrites the rows it is given: each gets a copy of the one pass
    CaseScorer once = cases -> {
      float[][] out = new float[cases.size()][];
      for (int u = 0; u < out.length; u++) {
        float[] r = row.get(cases.get(u));
        if (r == null) {
          return explore.score(cases);
        }
        out[u] = r.clone();
      }
      return out;
    };
    Gate best = Gate.PLAIN;
    double bestNdcg = Double.NEGATIVE_INFINITY;
    for (double scale : SCALES) {
      for (boolean masked : scale == 0 ? new boolean[] {true} : new boolean[] {true, false}) {
        Gate gate = new Gate(scale, masked);
        double ndcg = RankingEvaluator.evaluateCases(gate.apply(once, population), validation, 10, catalogueSize)
            .ndcg();
        if (ndcg > bestNdcg) {
          bestNdcg = ndcg;
          best = gate;
        }
      }
    }
    return new Choice(best, bestNdcg);
  }

  public RepeatExploreScorer(CaseScorer explore, RepeatRate population, double prior, double decay, double scale,
      boolean masked) {
    if (!(prior > 0) || !Double.isFinite(prior)) {
      throw new IllegalArgumentException("prior strength must be > 0, got " + prior);
    }
    if (!(decay > 0 && decay <= 1)) {
      throw new IllegalArgumentException("decay must be in (0, 1], got " + decay);
    }
    if (!(scale > 0) || !Double.isFinite(scale)) {
      throw new IllegalArgumentException("gate scale must be > 0, got " + scale);
    }
    this.explore = explore;
    this.scale = scale;
    this.masked = masked;
    this.populationRate = population.rate(0);
    this.prior = prior;
    this.decay = decay;
  }

  /** The repeat probability {@code g} of a customer with this history. */
  public double gate(TimedHistory history) {
    return gate(history, populationRate, prior, scale);
  }

  /**
   * The repeat probability {@code g = min(1, scale x (repeats + a g0) / (trials + a))} of a customer with this
   * history, {@code g0} the population's rate and {@code a} the prior strength in items (what the node's serving
   * uses with {@link #DEFAULT_PRIOR} and scale 1).
   */
  public static double gate(TimedHistory history, double populationRate, double prior, double scale) {
    RepeatRate own = RepeatRate.ofItems(history.items(), history.times());
    return Math.min(1, scale * (own.repeats() + prior * populationRate) / (own.trials() + prior));
  }

  @Override
  public float[][] score(List<HeldOutBasket> cases) {
    float[][] scores = explore.score(cases);
    for (int u = 0; u < scores.length; u++) {
      float[] s = scores[u];
      TimedHistory input = cases.get(u).input();
      double[] freq = new double[s.length];
      double total = HistoryMixScorer.recencyCounts(input.items(), decay, freq);
      double g = total > 0 ? gate(input) : 0;
      double unseen = 0;
      double all = 0;
      for (int j = ItemCatalogue.RESERVED; j < s.length; j++) {
        double v = Math.max(0, s[j]);
        all += v;
        if (freq[j] == 0) {
          unseen += v;
        }
      }
      for (int j = 0; j < s.length; j++) {
        if (j < ItemCatalogue.RESERVED) {
          s[j] = 0;
          continue;
        }
        double v = Math.max(0, s[j]);
        double p;
        if (!masked) {
          p = (total > 0 ? g * freq[j] / total : 0) + (all > 0 ? (1 - g) * v / all : 0);
        } else {
          p = freq[j] > 0 ? g * freq[j] / total : unseen > 0 ? (1 - g) * v / unseen : 0;
        }
        // a trace of the base score breaks ties among equal mixture values (g = 0 or 1) in the model's order
        s[j] = (float) (p + (all > 0 ? 1e-9 * v / all : 0));
      }
    }
    return scores;
  }
}
