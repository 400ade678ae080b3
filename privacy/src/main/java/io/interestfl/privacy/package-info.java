/**
 * Differential privacy for interestfl, as a library (no Vert.x, no DL4J, pure JDK).
 * <ul>
 *   <li>{@link io.interestfl.privacy.clipping} bounds each contribution (L2, per layer, adaptive);</li>
 *   <li>{@link io.interestfl.privacy.noise} adds Gaussian or exact discrete Gaussian noise from
 *       {@link java.security.SecureRandom}, including the distributed variant for secure aggregation;</li>
 *   <li>{@link io.interestfl.privacy.accounting} computes what that costs (RDP of the subsampled
 *       Gaussian, zCDP, conversion to (epsilon, delta), noise calibration);</li>
 *   <li>{@link io.interestfl.privacy.budget} records every release durably and refuses to exceed
 *       the budget.</li>
 * </ul>
 * One-line entry points: {@code RdpAccountant.epsilon(q, z, steps, delta, EpsilonConversion.IMPROVED)}
 * and {@code NoiseCalibrator.noiseMultiplier(targetEpsilon, q, steps, delta, conversion)}.
 * See {@code docs/privacy.md}.
 */
package io.interestfl.privacy;
