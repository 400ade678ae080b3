package io.interestfl.privacy.clipping;

/**
 * What one clipping did: the L2 norm before clipping and the factor the vector was multiplied by
 * ({@code min(1, clipNorm / norm)}). {@link #clipped()} is false when the vector was already
 * within the bound — adaptive clipping counts those.
 *
 * @param norm   L2 norm of the vector before clipping
 * @param factor scale applied, in [0, 1]; 1 means unchanged
 */
public record ClipResult(double norm, double factor) {

    /** True if the vector was scaled down (its norm exceeded the clip norm). */
    public boolean clipped() {
        return factor < 1.0;
    }
}
