package io.interestfl.secagg.bench;

import io.interestfl.secagg.crypto.ChaCha20MaskGenerator;
import io.interestfl.secagg.crypto.Ed25519Identity;
import io.interestfl.secagg.crypto.Secret;
import io.interestfl.secagg.crypto.Sha256;
import io.interestfl.secagg.masking.ParallelMasking;
import io.interestfl.secagg.message.AdvertiseKeys;
import io.interestfl.secagg.message.ConsistencySignature;
import io.interestfl.secagg.message.KeyDirectory;
import io.interestfl.secagg.message.MaskedInput;
import io.interestfl.secagg.message.RoundStart;
import io.interestfl.secagg.message.ShareBundle;
import io.interestfl.secagg.message.ShareKeys;
import io.interestfl.secagg.message.SurvivorList;
import io.interestfl.secagg.message.UnmaskRequest;
import io.interestfl.secagg.message.UnmaskResponse;
import io.interestfl.secagg.protocol.IdentityRegistry;
import io.interestfl.secagg.protocol.SecAggClient;
import io.interestfl.secagg.protocol.SecAggParameters;
import io.interestfl.secagg.protocol.SecAggServer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one complete SecAgg+ round in-process and measures it. Clients are simulated on the given
 * pool (several at once); every client message is encoded with {@code toBytes()} to count upload
 * bytes (the masked vector's size is computed exactly by {@link MaskedInput#encodedLength}).
 * Dropouts happen after ShareKeys (clients vanish before sending their masked input), the most
 * expensive case for the server, which must then reconstruct their masking keys and remove their
 * pairwise masks. In the same run the raw ChaCha20 keystream for as many bytes as the server
 * expanded is timed on the same pool: the physical lower bound of unmasking.
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
   * @param rawKeystreamMillis raw ChaCha20 time for expansions × m words on the same pool (mean of a
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
    long wall0 = System.nanoTime();
    SecureRandom random = new SecureRandom();
    int bitWidth = 32;
    int[] cohort = new int[clients];
    Map<Integer, byte[]> registry = new HashMap<>();
    Map<Integer, SecAggClient> parties = new HashMap<>();
    Map<Integer, Ed25519Identity> ids = new HashMap<>();
    for (int i = 0; i < clients; i++) {
      cohort[i] = i + 1;
      Ed25519Identity key = Ed25519Identity.generate(random);
      ids.put(cohort[i], key);
      registry.put(cohort[i], key.publicKey());
    }
    IdentityRegistry identities = IdentityRegistry.of(registry);
    for (int id : cohort) {
      parties.put(id, new SecAggClient(id, ids.get(id), identities, random));
    }
    byte[] modelHash = Sha256.hash("benchmark model".getBytes());
    SecAggServer server = new SecAggServer(1, cohort, params, length, bitWidth, identities, modelHash, random);

    // Dropouts: a random subset vanishes after ShareKeys.
    List<Integer> order = new ArrayList<>();
    for (int id : cohort) {
      order.add(id);
    }
    for (int i = order.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      Integer t = order.get(i);
      order.set(i, order.get(j));
      order.set(j, t);
    }
    Set<Integer> dropped = new HashSet<>(order.subList(0, (int) Math.round(dropout * clients)));

    AtomicLong bytesUp = new AtomicLong();
    AtomicLong maskNanos = new AtomicLong();
    AtomicLong otherNanos = new AtomicLong();
    int[] expected = new int[length];

    RoundStart start = server.roundStart();
    forEach(pool, cohort, id -> {
      long t0 = System.nanoTime();
      AdvertiseKeys a = parties.get(id).advertiseKeys(start, modelHash);
      otherNanos.addAndGet(System.nanoTime() - t0);
      if (!dropped.contains(id)) {
        bytesUp.addAndGet(a.toBytes().length);
      }
      server.receive(a);
    });
    KeyDirectory dir = server.closeAdvertiseKeys();
    forEach(pool, cohort, id -> {
      long t0 = System.nanoTime();
      ShareKeys s = parties.get(id).shareKeys(dir);
      otherNanos.addAndGet(System.nanoTime() - t0);
      if (!dropped.contains(id)) {
        bytesUp.addAndGet(s.toBytes().length);
      }
      server.receive(s);
    });
    Map<Integer, ShareBundle> bundles = server.closeShareKeys();
    int[] maskers = Arrays.stream(cohort).filter(id -> !dropped.contains(id)).toArray();
    forEach(pool, maskers, id -> {
      int[] x = input(id, length);
      long t0 = System.nanoTime();
      MaskedInput m = parties.get(id).maskInput(bundles.get(id), x);
      maskNanos.addAndGet(System.nanoTime() - t0);
      bytesUp.addAndGet(MaskedInput.encodedLength(length, bitWidth));
      server.receive(m);
      synchronized (expected) {
        for (int i = 0; i < length; i++) {
          expected[i] += x[i];
        }
      }
    });
    SurvivorList list = server.closeMaskedInputCollection();
    forEach(pool, list.survivors(), id -> {
      long t0 = System.nanoTime();
      ConsistencySignature c = parties.get(id).consistencyCheck(list);
      otherNanos.addAndGet(System.nanoTime() - t0);
      bytesUp.addAndGet(c.toBytes().length);
      server.receive(c);
    });
    Map<Integer, UnmaskRequest> requests = server.closeConsistencyCheck();
    forEach(pool, requests.keySet().stream().mapToInt(Integer::intValue).toArray(), id -> {
      long t0 = System.nanoTime();
      UnmaskResponse r = parties.get(id).unmask(requests.get(id));
      otherNanos.addAndGet(System.nanoTime() - t0);
      bytesUp.addAndGet(r.toBytes().length);
      server.receive(r);
    });
    // Raw keystream for the same number of bytes, measured right before and right after unmasking
    // (the machine may be shared; the mean of both brackets the unmasking run). The expansion count
    // is known before finish(): one per survivor plus one per (dropped, surviving neighbour) pair.
    int expected0 = list.survivors().length;
    for (int v : cohort) {
      if (dropped.contains(v)) {
        for (int u : server.neighbours(v)) {
          if (!dropped.contains(u)) {
            expected0++;
          }
        }
      }
    }
    double rawBefore = rawKeystreamMillis(expected0, length, pool);
    long u0 = System.nanoTime();
    int[] sum = server.finish(pool);
    long unmaskNanos = System.nanoTime() - u0;
    SecAggServer.UnmaskingStats stats = server.stats();
    double rawAfter = rawKeystreamMillis(stats.expansions(), length, pool);
    double raw = (rawBefore + rawAfter) / 2;

    int survivors = maskers.length;
    // Every survivor sent all five messages; dropped clients' partial uploads are not counted.
    long perClient = bytesUp.get() / Math.max(1, survivors);
    double serverMs = unmaskNanos / 1e6;
    return new Result(clients, length, dropout, params.degree(), params.threshold(), bitWidth, survivors,
        maskNanos.get() / 1e6 / survivors, otherNanos.get() / 1e6 / clients, serverMs,
        stats.reconstructionNanos() / 1e6, stats.expansions(), raw, serverMs / raw, perClient, 4L * length,
        Arrays.equals(sum, expected), (System.nanoTime() - wall0) / 1e9);
  }

  /**
   * Server mask removal in isolation: the exact code path of {@code SecAggServer.finish} after
   * reconstruction ({@link ParallelMasking} with {@link ChaCha20MaskGenerator} into one accumulator)
   * for {@code expansions} random seeds over {@code length} words, and the raw keystream for the
   * same bytes on the same pool. Used for configurations whose full client simulation is too slow
   * for the benchmark machine; reconstruction time does not depend on the vector length and is
   * taken from a full run with the same n and dropout.
   *
   * @return {mask removal ms, raw keystream ms}
   */
  public static double[] maskRemovalMillis(int expansions, int length, ExecutorService pool) {
    SecureRandom r = new SecureRandom();
    List<io.interestfl.secagg.masking.MaskTerm> terms = new ArrayList<>();
    for (int i = 0; i < expansions; i++) {
      terms.add(new io.interestfl.secagg.masking.MaskTerm(Secret.random(r), (i & 1) == 0));
    }
    int[] acc = new int[length];
    long t0 = System.nanoTime();
    ParallelMasking.apply(new ChaCha20MaskGenerator(), terms, acc, pool);
    double removal = (System.nanoTime() - t0) / 1e6;
    double raw = rawKeystreamMillis(expansions, length, pool);
    return new double[] {removal, raw};
  }

  /** Raw ChaCha20 keystream for {@code expansions} × {@code length} words, sliced like unmasking. */
  public static double rawKeystreamMillis(int expansions, int length, ExecutorService pool) {
    SecureRandom r = new SecureRandom();
    List<Secret> seeds = new ArrayList<>();
    for (int i = 0; i < expansions; i++) {
      seeds.add(Secret.random(r));
    }
    int threads = ParallelMasking.parallelism(pool);
    int slices = Math.max(1, Math.min(2 * threads, length / (16 * 1024)));
    int per = ((length + slices - 1) / slices + 15) / 16 * 16;
    long t0 = System.nanoTime();
    List<Future<?>> futures = new ArrayList<>();
    for (int from = 0; from < length; from += per) {
      int start = from;
      int end = Math.min(length, from + per);
      futures.add(pool.submit(() -> {
        for (Secret s : seeds) {
          ChaCha20MaskGenerator.rawKeystream(s, start, end);
        }
      }));
    }
    ParallelMasking.await(futures);
    return (System.nanoTime() - t0) / 1e6;
  }

  /** Deterministic, non-secret benchmark input for client {@code id}. */
  static int[] input(int id, int length) {
    int[] x = new int[length];
    int h = id * 0x9E3779B9;
    for (int i = 0; i < length; i++) {
      h ^= h << 13;
      h ^= h >>> 17;
      h ^= h << 5;
      x[i] = h + i;
    }
    return x;
  }

  private interface ClientStep {
    void run(int id) throws Exception;
  }

  private static void forEach(ExecutorService pool, int[] ids, ClientStep step) {
    List<Future<?>> futures = new ArrayList<>(ids.length);
    for (int id : ids) {
      Callable<Void> c = () -> {
        step.run(id);
        return null;
      };
      futures.add(pool.submit(c));
    }
    ParallelMasking.await(futures);
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
        maskRemovalMillis(64, 1 << 16, pool); // warm-up
        double[] t = maskRemovalMillis(e, m, pool);
        System.out.printf("mask removal: %d expansions x %d words (%.1f GB keystream): %.1f ms, raw ChaCha20 %.1f ms,"
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
