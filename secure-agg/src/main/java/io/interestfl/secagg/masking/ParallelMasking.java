package io.interestfl.secagg.masking;

import io.interestfl.secagg.crypto.MaskGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * Adds many PRG expansions into one vector using all threads of an executor, in O(model) memory.
 *
 * <p>The vector is cut into contiguous slices (aligned to the PRG's blocks, a few per thread);
 * each task owns one slice and folds every term's keystream for that slice into it, seeking the
 * keystream to the slice start. Tasks never write the same words, so there are no per-thread
 * accumulators to sum and no locks; each keystream byte is produced exactly once, and the work per
 * byte beyond the raw keystream is one load-add-store.
 */
public final class ParallelMasking {
  private static final int MIN_SLICE_WORDS = 16 * 1024;

  private ParallelMasking() {}

  /**
   * {@code target += sum of ±PRG(term.seed)} modulo 2^32.
   *
   * @param pool where the slices run; {@code null} runs everything on the calling thread
   */
  public static void apply(
      MaskGenerator generator, List<MaskTerm> terms, int[] target, ExecutorService pool) {
    int slices = pool == null ? 1 : sliceCount(target.length, parallelism(pool));
    if (slices <= 1) {
      for (MaskTerm t : terms) {
        generator.accumulate(t.seed(), t.subtract(), target, 0, target.length);
      }
      return;
    }
    int block = generator.blockWords();
    int per = (int) (((long) target.length + slices - 1) / slices);
    per = (per + block - 1) / block * block;
    List<Future<?>> futures = new ArrayList<>(slices);
    for (int from = 0; from < target.length; from += per) {
      int start = from;
      int end = Math.min(target.length, from + per);
      futures.add(pool.submit(() -> {
        for (MaskTerm t : terms) {
          generator.accumulate(t.seed(), t.subtract(), target, start, end);
        }
      }));
    }
    await(futures);
  }

  /** Waits for all futures, rethrowing the first failure. */
  public static void await(List<? extends Future<?>> futures) {
    RuntimeException failure = null;
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while masking", e);
      } catch (ExecutionException e) {
        if (failure == null) {
          failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Threads an executor can run at once (best guess for foreign executors). */
  public static int parallelism(ExecutorService pool) {
    if (pool instanceof ForkJoinPool fj) {
      return fj.getParallelism();
    }
    if (pool instanceof ThreadPoolExecutor tp) {
      return Math.max(1, Math.min(tp.getMaximumPoolSize(), Runtime.getRuntime().availableProcessors()));
    }
    return Runtime.getRuntime().availableProcessors();
  }

  private static int sliceCount(int length, int threads) {
    int bySize = Math.max(1, length / MIN_SLICE_WORDS);
    return Math.max(1, Math.min(threads * 2, bySize));
  }
}
