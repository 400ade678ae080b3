/**
 * Noise that protects privacy; every bit of it comes from a {@link java.security.SecureRandom}.
 * {@link io.interestfl.privacy.noise.GaussianNoise} adds continuous N(0, sigma^2) noise (Marsaglia
 * polar method) for the central Gaussian mechanism and local DP-SGD.
 * {@link io.interestfl.privacy.noise.DiscreteGaussianSampler} is the exact integer sampler of
 * Canonne, Kamath and Steinke 2020, and
 * {@link io.interestfl.privacy.noise.DistributedDiscreteGaussian} splits its variance across n
 * clients under secure aggregation and computes the zCDP of the sum (Kairouz et al. 2021).
 */
package io.interestfl.privacy.noise;
