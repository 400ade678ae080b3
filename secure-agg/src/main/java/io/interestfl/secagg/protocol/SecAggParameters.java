package io.interestfl.secagg.protocol;

/**
 * Graph degree k and Shamir threshold t for a cohort of n clients.
 *
 * <p>Every client u Shamir-shares its two secrets among its k graph neighbours plus itself (k + 1
 * holders, threshold t). {@link #choose(int, double, double)} picks the smallest even k (and its
 * t) such that, with each client independently dropping with probability {@code dropout} and
 * being corrupt (colluding with the server) with probability {@code corruptFraction}:
 *
 * <ul>
 *   <li><b>correctness</b>: a dropped client's k neighbours keep at least t survivors, except with
 *       probability at most {@link #CORRECTNESS_FAILURE} per round (union over the n clients);
 *   <li><b>privacy against a malicious server</b>: {@code 2t > k + 1 + c}, where c is the number of
 *       corrupt neighbours, except with probability {@link #SECURITY_FAILURE} per round: even if
 *       the server told different honest neighbours different survivor sets, it could not collect t
 *       self-mask shares <i>and</i> t masking-key shares of one honest client (corrupt neighbours
 *       reveal both, honest ones one, the owner only its self-mask share). This also gives t &gt; c
 *       (colluding clients alone never reach the threshold);
 *   <li>k &gt;= 2 ceil(log2 n) so that the graph of honest survivors stays connected (Bell et al.).
 * </ul>
 *
 * If no k &lt; n - 1 qualifies (small cohorts), the complete graph k = n - 1 (plain SecAgg) is
 * used with expected counts c = ceil(corruptFraction n), d = ceil(dropout n): t is the privacy
 * threshold, lowered to n - 1 - d if needed so that d dropouts are tolerated, but never below
 * max(2, c + 1) (colluders alone never reach t). When it is lowered the split-view margin against
 * a malicious server is reduced.
 * With {@link ThreatModel#HONEST_BUT_CURIOUS} the privacy rule is the weaker {@code t > c}, which
 * gives smaller k (cheaper) but relies on the server not lying about survivors.
 *
 * @param cohortSize n, the number of clients invited to the round
 * @param degree k, neighbours per client (n - 1 = complete graph)
 * @param threshold t, shares needed to reconstruct a secret (2 &lt;= t &lt;= k + 1)
 */
public record SecAggParameters(int cohortSize, int degree, int threshold) {
  /** Per-round probability budget for a round failing because too many neighbours dropped. */
  public static final double CORRECTNESS_FAILURE = 1e-6;
  /** Per-round probability budget for the privacy condition failing. */
  public static final double SECURITY_FAILURE = Math.pow(2, -40);

  /** Which server the threshold must resist. */
  public enum ThreatModel {
    /** Server follows the protocol but may collude with corrupt clients: t &gt; c. */
    HONEST_BUT_CURIOUS,
    /** Server may lie about survivors (the consistency check is then what protects): 2t &gt; k + 1 + c. */
    MALICIOUS_SERVER
  }

  /** Validates the combination, naming the bad value. */
  public SecAggParameters {
    if (cohortSize < 3) {
      throw new IllegalArgumentException("cohortSize must be >= 3, got " + cohortSize);
    }
    if (degree < 2 || degree > cohortSize - 1) {
      throw new IllegalArgumentException(
          "degree must be in [2, " + (cohortSize - 1) + "], got " + degree);
    }
    if (degree < cohortSize - 1 && degree % 2 != 0) {
      throw new IllegalArgumentException("degree " + degree + " must be even unless it is n-1");
    }
    if (threshold < 2 || threshold > degree + 1) {
      throw new IllegalArgumentException(
          "threshold must be in [2, " + (degree + 1) + "], got " + threshold);
    }
  }

  /** Plain SecAgg (complete graph) with the given threshold. */
  public static SecAggParameters complete(int n, int threshold) {
    return new SecAggParameters(n, n - 1, threshold);
  }

  /** {@link #choose(int, double, double, ThreatModel)} against a malicious server. */
  public static SecAggParameters choose(int n, double dropout, double corruptFraction) {
    return choose(n, dropout, corruptFraction, ThreatModel.MALICIOUS_SERVER);
  }

  /** See the class documentation. */
  public static SecAggParameters choose(
      int n, double dropout, double corruptFraction, ThreatModel threatModel) {
    if (n < 3) {
      throw new IllegalArgumentException("cohort size n must be >= 3, got " + n);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    }
    if (!(corruptFraction >= 0 && corruptFraction < 0.5)) {
      throw new IllegalArgumentException("corruptFraction must be in [0, 0.5), got " + corruptFraction);
    }
    double perClientCorrectness = CORRECTNESS_FAILURE / n;
    double perClientSecurity = SECURITY_FAILURE / n;
    int minDegree = Math.max(4, 2 * ceilLog2(n));
    for (int k = minDegree; k < n - 1; k += 2) {
      int t = threshold(k, corruptFraction, perClientSecurity, threatModel);
      int dropped = upperQuantile(k, dropout, perClientCorrectness);
      if (t <= k + 1 && k - dropped >= t) {
        return new SecAggParameters(n, k, t);
      }
    }
    // Complete graph (plain SecAgg). Tail bounds are meaningless for a handful of clients, so use
    // expected counts: c = ceil(corrupt * n) colluders, d = ceil(dropout * n) dropouts.
    int k = n - 1;
    int c = (int) Math.ceil(corruptFraction * n - 1e-9);
    int d = (int) Math.ceil(dropout * n - 1e-9);
    int privacy = threatModel == ThreatModel.MALICIOUS_SERVER ? (k + 1 + c) / 2 + 1 : c + 1;
    int correctness = k - d;
    int t = Math.max(Math.max(2, c + 1), Math.min(privacy, correctness));
    return new SecAggParameters(n, k, Math.min(t, k + 1));
  }

  private static int threshold(int k, double corrupt, double eps, ThreatModel model) {
    int c = upperQuantile(k, corrupt, eps);
    int t = model == ThreatModel.MALICIOUS_SERVER ? (k + 1 + c) / 2 + 1 : c + 1;
    return Math.max(2, t);
  }

  /** Smallest m with P[Binomial(trials, p) &gt; m] &lt;= eps. */
  static int upperQuantile(int trials, double p, double eps) {
    if (p <= 0) {
      return 0;
    }
    double logP = Math.log(p);
    double logQ = Math.log1p(-p);
    // tail[m] = P[X > m]; accumulate from the top to keep precision for tiny tails
    double tail = 0;
    double[] lf = logFactorials(trials);
    double logFactTrials = lf[trials];
    for (int m = trials; m >= 0; m--) {
      // tail currently = P[X > m]
      if (tail > eps) {
        return m + 1;
      }
      double logPmf = logFactTrials - lf[m] - lf[trials - m] + m * logP + (trials - m) * logQ;
      tail += Math.exp(logPmf);
    }
    return 0;
  }

  private static double[] logFactorials(int m) {
    double[] lf = new double[m + 1];
    for (int i = 2; i <= m; i++) {
      lf[i] = lf[i - 1] + Math.log(i);
    }
    return lf;
  }

  private static int ceilLog2(int n) {
    return 32 - Integer.numberOfLeadingZeros(n - 1);
  }

  /** True iff this is the complete graph (plain SecAgg). */
  public boolean isComplete() {
    return degree == cohortSize - 1;
  }
}
