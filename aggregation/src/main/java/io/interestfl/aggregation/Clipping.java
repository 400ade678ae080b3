package io.interestfl.aggregation;

import io.interestfl.privacy.clipping.L2Clipper;

/**
 * Clip stage: bounds every vector's L2 norm by the {@link ClipNorm} before the next stage sees it,
 * counts those it clipped and, once the round is released, lets an adaptive bound move.
 */
final class Clipping implements Aggregator {
  private static final long serialVersionUID = 1L;
  /** The round's own (adaptive) bound, moved at release; a copy on a partition has none and clips by {@link #bound}. */
  private final transient ClipNorm clipNorm;
  private final double bound;               // the bound for this round, fixed when it opened
  private final Aggregator next;
  private final int cohortSize;
  private int clipped;

  Clipping(ClipNorm clipNorm, Aggregator next, int cohortSize) {
    this.clipNorm = clipNorm;
    this.bound = clipNorm.current();
    this.next = next;
    this.cohortSize = cohortSize;
  }

  @Override
  public void accept(float[] update, long examples) {
    if (new L2Clipper(bound).clip(update).clipped()) {
      clipped++;
    }
    next.accept(update, examples);
  }

  @Override
  public void merge(Aggregator other) {
    if (!(other instanceof Clipping o) || o.bound != bound) {
      throw new IllegalArgumentException("cannot merge " + other.getClass().getSimpleName() + " into a clip stage");
    }
    next.merge(o.next);
    clipped += o.clipped;
  }

  @Override
  public int count() {
    return next.count();
  }

  @Override
  public int clipped() {
    return clipped;
  }

  @Override
  public float[] release() {
    if (clipNorm == null) {
      throw new IllegalStateException("a partition's copy of the round is merged into the round's aggregator, "
          + "not released");
    }
    float[] aggregate = next.release();
    clipNorm.adapt(count() - clipped, cohortSize);
    return aggregate;
  }
}
