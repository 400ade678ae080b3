package io.interestfl.secagg.bench;

import io.interestfl.secagg.crypto.Ed25519Identity;
import io.interestfl.secagg.crypto.Sha256;
import io.interestfl.secagg.masking.ParallelMasking;
import io.interestfl.secagg.message.ClientMessage;
import io.interestfl.secagg.message.KeyDirectory;
import io.interestfl.secagg.message.MaskedInput;
import io.interestfl.secagg.message.RoundStart;
import io.interestfl.secagg.message.ShareBundle;
import io.interestfl.secagg.message.SurvivorList;
import io.interestfl.secagg.message.UnmaskRequest;
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
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One complete SecAgg+ round in-process (real clients and server, every phase, all crypto), with
 * the clients simulated several at once on a pool. It times each client's masking phase and its
 * other phases, counts the bytes a surviving client uploads (every message through {@code
 * toBytes()}, the masked vector by {@link MaskedInput#encodedLength}), and keeps the modular sum of
 * the survivors' inputs to check the server's result. A random {@code dropout} fraction vanishes
 * after ShareKeys, the most expensive case for the server.
 */
final class SimulatedRound {
  private final int clients;
  private final int length;
  private final int bitWidth = 32;
  private final int[] cohort;
  private final Map<Integer, SecAggClient> parties = new HashMap<>();
  private final SecAggServer server;
  private final byte[] modelHash = Sha256.hash("benchmark model".getBytes());
  private final Set<Integer> dropped;
  private final ExecutorService pool;
  private final AtomicLong bytesUp = new AtomicLong();
  private final AtomicLong maskNanos = new AtomicLong();
  private final AtomicLong otherNanos = new AtomicLong();
  private final int[] expected;

  private SimulatedRound(int clients, int length, double dropout, SecAggParameters params, ExecutorService pool) {
    this.clients = clients;
    this.length = length;
    this.pool = pool;
    this.expected = new int[length];
    SecureRandom random = new SecureRandom();
    cohort = new int[clients];
    Map<Integer, byte[]> registry = new HashMap<>();
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
    server = new SecAggServer(1, cohort, params, length, bitWidth, identities, modelHash, random);
    dropped = randomSubset(cohort, (int) Math.round(dropout * clients), random);
  }

  /** Runs one round and measures it; see {@link SecAggBenchmark.Result} for what is reported. */
  static SecAggBenchmark.Result run(int clients, int length, double dropout, SecAggParameters params,
      ExecutorService pool) {
    long wall0 = System.nanoTime();
    SimulatedRound round = new SimulatedRound(clients, length, dropout, params, pool);
    KeyDirectory dir = round.advertiseKeys();
    Map<Integer, ShareBundle> bundles = round.shareKeys(dir);
    int[] maskers = round.maskInputs(bundles);
    SurvivorList list = round.consistencyCheck();
    round.unmask(round.server.closeConsistencyCheck());
    return round.measureUnmasking(list, maskers.length, dropout, params, wall0);
  }

  /** Fisher–Yates on the cohort; the first {@code size} ids. */
  private static Set<Integer> randomSubset(int[] ids, int size, SecureRandom random) {
    List<Integer> order = new ArrayList<>();
    for (int id : ids) {
      order.add(id);
    }
    for (int i = order.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      Integer t = order.get(i);
      order.set(i, order.get(j));
      order.set(j, t);
    }
    return new HashSet<>(order.subList(0, size));
  }

  private KeyDirectory advertiseKeys() {
    RoundStart start = server.roundStart();
    forEach(cohort, id -> reply(!dropped.contains(id), () -> parties.get(id).advertiseKeys(start, modelHash)));
    return server.closeAdvertiseKeys();
  }

  private Map<Integer, ShareBundle> shareKeys(KeyDirectory dir) {
    forEach(cohort, id -> reply(!dropped.contains(id), () -> parties.get(id).shareKeys(dir)));
    return server.closeShareKeys();
  }

  /** Phase 2 for the clients that did not drop; returns them. */
  private int[] maskInputs(Map<Integer, ShareBundle> bundles) {
    int[] maskers = Arrays.stream(cohort).filter(id -> !dropped.contains(id)).toArray();
    forEach(maskers, id -> {
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
    return maskers;
  }

  /** Closes phase 2 and runs phase 3; returns the survivor list. */
  private SurvivorList consistencyCheck() {
    SurvivorList list = server.closeMaskedInputCollection();
    forEach(list.survivors(), id -> reply(true, () -> parties.get(id).consistencyCheck(list)));
    return list;
  }

  private void unmask(Map<Integer, UnmaskRequest> requests) {
    int[] asked = requests.keySet().stream().mapToInt(Integer::intValue).toArray();
    forEach(asked, id -> reply(true, () -> parties.get(id).unmask(requests.get(id))));
  }

  /**
   * One client call of the phases other than masking: timed, its reply counted as upload if
   * {@code counted} (dropped clients' partial uploads are not), and delivered to the server.
   */
  private void reply(boolean counted, Supplier<ClientMessage> call) {
    long t0 = System.nanoTime();
    ClientMessage m = call.get();
    otherNanos.addAndGet(System.nanoTime() - t0);
    if (counted) {
      bytesUp.addAndGet(m.toBytes().length);
    }
    server.receive(m);
  }

  /** Times {@code finish} between two raw-keystream runs of the same size and assembles the result. */
  private SecAggBenchmark.Result measureUnmasking(SurvivorList list, int survivors, double dropout,
      SecAggParameters params, long wall0) {
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
    double rawBefore = KeystreamBaseline.rawKeystreamMillis(expected0, length, pool);
    long u0 = System.nanoTime();
    int[] sum = server.finish(pool);
    long unmaskNanos = System.nanoTime() - u0;
    SecAggServer.UnmaskingStats stats = server.stats();
    double rawAfter = KeystreamBaseline.rawKeystreamMillis(stats.expansions(), length, pool);
    double raw = (rawBefore + rawAfter) / 2;

    // Every survivor sent all five messages; dropped clients' partial uploads are not counted.
    long perClient = bytesUp.get() / Math.max(1, survivors);
    double serverMs = unmaskNanos / 1e6;
    return new SecAggBenchmark.Result(clients, length, dropout, params.degree(), params.threshold(), bitWidth,
        survivors, maskNanos.get() / 1e6 / survivors, otherNanos.get() / 1e6 / clients, serverMs,
        stats.reconstructionNanos() / 1e6, stats.expansions(), raw, serverMs / raw, perClient, 4L * length,
        Arrays.equals(sum, expected), (System.nanoTime() - wall0) / 1e9);
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

  /** Runs {@code step} for every id on the pool and waits for all. */
  private void forEach(int[] ids, ClientStep step) {
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
}
