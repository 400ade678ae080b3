/**
 * Privacy accounting. {@link io.interestfl.privacy.accounting.RdpAccountant} composes the Rényi-DP
 * curves of {@link io.interestfl.privacy.accounting.PrivacyMechanism}s — the Poisson-subsampled
 * Gaussian ({@link io.interestfl.privacy.accounting.SubsampledGaussian}, Mironov, Talwar, Zhang
 * 2019, the TF Privacy / Opacus algorithm) and zCDP guarantees
 * ({@link io.interestfl.privacy.accounting.ZcdpMechanism}, RDP(a) = rho * a) — on a fixed grid of
 * orders ({@link io.interestfl.privacy.accounting.RdpOrders}) and converts the total to (epsilon,
 * delta) with a selectable {@link io.interestfl.privacy.accounting.EpsilonConversion}.
 * {@link io.interestfl.privacy.accounting.NoiseCalibrator} inverts this: the noise multiplier for a
 * target epsilon. Pure computation, no I/O and no randomness.
 */
package io.interestfl.privacy.accounting;
