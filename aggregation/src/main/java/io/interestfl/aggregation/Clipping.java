package io.interestfl.aggregation;

/**
 * Clip stage: bounds every vector's L2 norm by the {@link ClipNorm} before the next stage sees it,
 * counts those it clipped and, once the round is released, lets an adaptive bound move.
 */
final class Clipping implements Aggregator {
  private final ClipNorm clipNorm;
  private final Aggregator next;
  private final int cohortSize;
  private int clipped;

  Clipping(ClipNorm clipNorm, Aggregator next, int cohortSize) {
    this.clipNorm = clipNorm;
    this.next = next;
    this.cohortSize = cohortSize;
  }

  @Override
  public void accept(float[] update, long examples) {
    if (clipNorm.clip(update)) {
      clipped++;
    }
    next.accept(update, examples);
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
    float[] aggregate = next.release();
    clipNorm.adapt(count() - clipped, cohortSize);
    return aggregate;
  }
}
