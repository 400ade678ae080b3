package io.interestfl.secagg.bench;

import io.interestfl.secagg.message.MaskedInput;
import io.interestfl.secagg.protocol.SecAggParameters;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs one complete SecAgg+ round in-process and measures it. Clients are simulated on the given
 * pool (several at once); every client message is encoded with {@code toBytes()} to count upload
 * bytes (the masked vector's size is computed exactly by {@link MaskedInput#encodedLength}).
 * Dropouts happen after ShareKeys (clients vanish before sending their masked input), the most
 * expensive case for the server, which must then reconstruct their masking keys and remove their
 * pairwise masks. In the same run the raw AES-CTR keystream for as many bytes as the server
 * expanded is timed on the same pool: the physical lower bound of unmasking.
 *
 * <p>This class is the entry point (the result row and the command line); {@code SimulatedRound}
 * drives and measures the round, {@link KeystreamBaseline} measures the raw keystream and the
 * server's mask removal alone.
 *
 * <p>Parameters: {@link SecAggParameters#choose(int, double, double)} with the given dropout and
 * {@link #CORRUPT_FRACTION}; b = 32 - ceil(log2 n) + ceil(log2 n) = 32 (maximum precision).
 */
public final class SecAggBenchmark {
  /** Tolerated fraction of corrupt clients used to choose k and t. */
  public static final double CORRUPT_FRACTION = 0.05;

  private SecAggBenchmark() {}

  /**
   * One measurement.
   *
   * @param clients n
   * @param length m, words per vector
   * @param dropout fraction of clients that vanished after ShareKeys
   * @param degree k
   * @param threshold t
   * @param bitWidth b
   * @param survivors |U3|
   * @param clientMaskMillis mean per-client time of the masking phase (decrypt shares, key
   *     agreements, PRG expansions)
   * @param clientOtherMillis mean per-client time of all other phases together
   * @param serverUnmaskMillis server time of {@code finish}: reconstruction + mask removal
   * @param serverReconstructMillis the reconstruction/key-agreement part of it
   * @param expansions PRG expansions the server did (self masks + pairwise masks of dropped)
   * @param rawKeystreamMillis raw AES-CTR time for expansions × m words on the same pool (mean of a
   *     measurement right before and one right after unmasking)
   * @param ratio serverUnmaskMillis / rawKeystreamMillis
   * @param bytesUpPerClient mean bytes a surviving client uploads in all five phases
   * @param plainBytes 4 m, the float32 update a client would send without secure aggregation
   * @param correct whether the result equals the modular sum of the survivors' inputs
   * @param wallSeconds whole simulation
   */
  public record Result(
      int clients, int length, double dropout, int degree, int threshold, int bitWidth, int survivors,
      double clientMaskMillis, double clientOtherMillis, double serverUnmaskMillis,
      double serverReconstructMillis, int expansions, double rawKeystreamMillis, double ratio,
      long bytesUpPerClient, long plainBytes, boolean correct, double wallSeconds) {

    /** One table row. */
    public String row() {
      return String.format("| %5d | %8d | %4.2f | %3d | %3d | %5d | %9.1f | %8.1f | %10.1f | %8.1f | %6d | %9.1f | %5.2f | %10d | %9.3f | %s | %6.1f |",
          clients, length, dropout, degree, threshold, survivors, clientMaskMillis, clientOtherMillis,
          serverUnmaskMillis, serverReconstructMillis, expansions, rawKeystreamMillis, ratio, bytesUpPerClient,
          bytesUpPerClient / (double) plainBytes, correct ? "yes" : "NO", wallSeconds);
    }

    /** Table header. */
    public static String header() {
      return "|     n |        m | drop |   k |   t |  |U3| | client mask ms | other ms | server unmask ms | of which recon ms | expans. | raw ChaCha ms | ratio | bytes up/client | x float32 | ok | wall s |\n"
          + "|------:|---------:|-----:|----:|----:|------:|----------:|---------:|-----------:|---------:|-------:|----------:|------:|-----------:|----------:|----|-------:|";
    }
  }

  /**
   * Runs one round with n = {@code clients}, m = {@code length}, parameters {@link
   * SecAggParameters#choose(int, double, double)} (malicious-server rule, {@link #CORRUPT_FRACTION}).
   */
  public static Result run(int clients, int length, double dropout, ExecutorService pool) {
    return run(clients, length, dropout, SecAggParameters.choose(clients, dropout, CORRUPT_FRACTION), pool);
  }

  /** Runs one round with explicit parameters. */
  public static Result run(int clients, int length, double dropout, SecAggParameters params, ExecutorService pool) {
    return SimulatedRound.run(clients, length, dropout, params, pool);
  }

  /**
   * Prints a markdown table. Arguments: lists of n, m and dropout, e.g. {@code 10,100 100000 0,0.1}
   * (defaults: 10,100 100000 0,0.1), and optionally {@code hbc} to choose k and t for an
   * honest-but-curious server instead of a malicious one.
   */
  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("mask-removal")) {
      // mask-removal <expansions> <length>: server mask removal vs raw keystream only
      int e = (int) Double.parseDouble(args[1]);
      int m = (int) Double.parseDouble(args[2]);
      ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
      try {
        KeystreamBaseline.maskRemovalMillis(64, 1 << 16, pool); // warm-up
        double[] t = KeystreamBaseline.maskRemovalMillis(e, m, pool);
        System.out.printf("mask removal: %d expansions x %d words (%.1f GB keystream): %.1f ms, raw AES-CTR %.1f ms,"
            + " ratio %.2f%n", e, m, e * 4.0 * m / 1e9, t[0], t[1], t[0] / t[1]);
      } finally {
        pool.shutdown();
      }
      return;
    }
    int[] ns = parseInts(args.length > 0 ? args[0] : "10,100");
    int[] ms = parseInts(args.length > 1 ? args[1] : "100000");
    double[] ds = Arrays.stream((args.length > 2 ? args[2] : "0,0.1").split(",")).mapToDouble(Double::parseDouble).toArray();
    SecAggParameters.ThreatModel model = args.length > 3 && args[3].equalsIgnoreCase("hbc")
        ? SecAggParameters.ThreatModel.HONEST_BUT_CURIOUS : SecAggParameters.ThreatModel.MALICIOUS_SERVER;
    int threads = Runtime.getRuntime().availableProcessors();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      System.out.printf("SecAgg+ benchmark: %d threads, Java %s, %s, corrupt fraction %.2f, %s%n",
          threads, System.getProperty("java.version"), System.getProperty("os.arch"), CORRUPT_FRACTION, model);
      run(20, 1 << 14, 0.1, pool); // warm-up
      System.out.println(Result.header());
      for (int m : ms) {
        for (int n : ns) {
          for (double d : ds) {
            SecAggParameters p = SecAggParameters.choose(n, d, CORRUPT_FRACTION, model);
            System.out.println(run(n, m, d, p, pool).row());
          }
        }
      }
    } finally {
      pool.shutdown();
    }
  }

  private static int[] parseInts(String s) {
    return Arrays.stream(s.split(",")).mapToInt(x -> (int) Double.parseDouble(x)).toArray();
  }
}
