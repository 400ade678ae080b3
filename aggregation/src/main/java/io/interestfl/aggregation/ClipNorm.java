package io.interestfl.aggregation;

import io.interestfl.privacy.clipping.AdaptiveClipper;
import io.interestfl.privacy.clipping.L2Clipper;

/**
 * The clip stage's L2 bound C across rounds: fixed, or adaptive (Andrew et al. 2021: after each round
 * C moves toward a quantile of the update norms, from a noisy count of the unclipped updates).
 */
public final class ClipNorm {
  /** Null with a fixed clip norm. */
  private final AdaptiveClipper adaptive;
  private L2Clipper clipper;

  /** A fixed bound C. */
  public ClipNorm(double clipNorm) {
    this(clipNorm, null);
  }

  /** Starts at the adaptive clipper's bound and follows it after every round. */
  public ClipNorm(AdaptiveClipper adaptive) {
    this(adaptive.clipNorm(), adaptive);
  }

  private ClipNorm(double clipNorm, AdaptiveClipper adaptive) {
    this.clipper = new L2Clipper(clipNorm);
    this.adaptive = adaptive;
  }

  /** Clips {@code update} in place to the current bound; true when it had to scale it down. */
  public boolean clip(float[] update) {
    return clipper.clip(update).clipped();
  }

  /** The current bound C. */
  public double current() {
    return clipper.clipNorm();
  }

  public boolean isAdaptive() {
    return adaptive != null;
  }

  /** After a round: moves an adaptive bound from the round's unclipped count (a fixed one stays). */
  void adapt(int unclipped, int cohortSize) {
    if (adaptive != null) {
      clipper = new L2Clipper(adaptive.update(unclipped, cohortSize));
    }
  }
}
