package io.interestfl.interest.evaluation;

/**
 * Scores every item id of the catalogue for each history. {@code score(h)[u][i]} is the score of item
 * id {@code i} for history {@code h[u]}; higher is better. Rows must have length = catalogue size.
 * {@code InterestModel::score} is a Scorer.
 */
@FunctionalInterface
public interface Scorer {
    float[][] score(int[][] histories);
}
