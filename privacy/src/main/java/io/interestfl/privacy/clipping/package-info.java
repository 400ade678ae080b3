/**
 * Bounding each contribution's influence before noise is added.
 * {@link io.interestfl.privacy.clipping.L2Clipper} clips a flat update to an L2 norm,
 * {@link io.interestfl.privacy.clipping.PerLayerClipper} clips each layer to its own bound, both
 * in place and reporting a {@link io.interestfl.privacy.clipping.ClipResult} (norm, factor,
 * clipped or not). {@link io.interestfl.privacy.clipping.AdaptiveClipper} moves the clip norm
 * toward a quantile of the update norms from the noisy count of unclipped updates
 * (Andrew et al. 2021).
 */
package io.interestfl.privacy.clipping;
