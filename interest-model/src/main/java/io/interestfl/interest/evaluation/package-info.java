/**
 * Full-catalogue ranking evaluation of next-basket prediction (HR@K, NDCG@K, MRR) and a popularity
 * baseline. {@code RankingEvaluator.evaluate(model::score, split.test(), 10, catalogue.size())}.
 */
package io.interestfl.interest.evaluation;
