/**
 * The client node's recommendation API ({@link io.interestfl.serving.RecommendationServer}: Vert.x Web,
 * {@code GET /v1/recommendations}, {@code POST /v1/feedback}), the merchant's durable feedback log that the next
 * federated round trains on ({@link io.interestfl.serving.FeedbackLog}), the representations taken from
 * the interest model, configuration and the load benchmark. See docs/recommendations.md.
 */
package io.interestfl.serving;
