/**
 * Exploration policies: how a slate balances what the interest model believes about a customer (exploit)
 * with items and interests it does not know yet (explore). {@link io.interestfl.serving.policy.ExplorationPolicy}
 * is the interface; every policy is a {@link io.interestfl.serving.policy.PosteriorPolicy} over one Bayesian linear
 * model per customer ({@link io.interestfl.serving.policy.LinearPosterior}) centred on the customer's vector,
 * and differs only in how it ranks. See docs/recommendations.md.
 */
package io.interestfl.serving.policy;
