/**
 * The drifting-interest bandit simulator ({@link io.interestfl.simulations.bandit.DriftingEnvironment},
 * {@link io.interestfl.simulations.bandit.BanditSimulation}) with a federated matrix-factorisation representation,
 * offline replay evaluation ({@link io.interestfl.simulations.bandit.ReplayEvaluator}), plots and the
 * {@code simulate bandit|replay} commands. See docs/recommendations.md and docs/benchmarks.md.
 */
package io.interestfl.simulations.bandit;
