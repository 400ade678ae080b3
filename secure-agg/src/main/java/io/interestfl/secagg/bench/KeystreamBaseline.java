package io.interestfl.secagg.bench;

import io.interestfl.secagg.crypto.AesCtrMaskGenerator;
import io.interestfl.secagg.crypto.Secret;
import io.interestfl.secagg.masking.MaskTerm;
import io.interestfl.secagg.masking.ParallelMasking;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The yardsticks for server unmasking: raw AES-CTR keystream for as many bytes as the server
 * expands (its physical lower bound), and the server's mask removal alone, without a round.
 */
public final class KeystreamBaseline {
  private KeystreamBaseline() {}

  /**
   * Server mask removal in isolation: the exact code path of {@code SecAggServer.finish} after
   * reconstruction ({@link ParallelMasking} with {@link AesCtrMaskGenerator} into one accumulator)
   * for {@code expansions} random seeds over {@code length} words, and the raw keystream for the
   * same bytes on the same pool. Used for configurations whose full client simulation is too slow
   * for the benchmark machine; reconstruction time does not depend on the vector length and is
   * taken from a full run with the same n and dropout.
   *
   * @return {mask removal ms, raw keystream ms}
   */
  public static double[] maskRemovalMillis(int expansions, int length, ExecutorService pool) {
    SecureRandom r = new SecureRandom();
    List<MaskTerm> terms = new ArrayList<>();
    for (int i = 0; i < expansions; i++) {
      terms.add(new MaskTerm(Secret.random(r), (i & 1) == 0));
    }
    int[] acc = new int[length];
    long t0 = System.nanoTime();
    ParallelMasking.apply(new AesCtrMaskGenerator(), terms, acc, pool);
    double removal = (System.nanoTime() - t0) / 1e6;
    double raw = rawKeystreamMillis(expansions, length, pool);
    return new double[] {removal, raw};
  }

  /** Raw AES-CTR keystream for {@code expansions} × {@code length} words, sliced like unmasking. */
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
          AesCtrMaskGenerator.rawKeystream(s, start, end);
        }
      }));
    }
    ParallelMasking.await(futures);
    return (System.nanoTime() - t0) / 1e6;
  }
}
