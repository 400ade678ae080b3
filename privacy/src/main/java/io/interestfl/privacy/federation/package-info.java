/**
 * Customer-level differential privacy paid once for the whole federation (DP-FedAvg with customers as
 * the users and merchants as silos): the parameters of one round ({@link CustomerDpRound}), of the
 * private item histogram that starts the model at popularity ({@link ItemHistogramRelease}), and the
 * plan that calibrates the noise for a target epsilon over all rounds ({@link CustomerDpPlan}). A node
 * checks a round's parameters with {@link CustomerDpRound#problems} before it contributes.
 */
package io.interestfl.privacy.federation;
