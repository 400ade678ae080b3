package io.interestfl.interest.evaluation;

import io.interestfl.interest.data.HeldOutBasket;
import io.interestfl.interest.data.TimedHistory;

import java.util.List;
import java.util.function.Function;

/**
 * Scores every item id of the catalogue for each test case, seeing the whole case (history and the
 * last training basket, never the target). Baselines that need basket boundaries (first-order Markov)
 * implement this; any {@link Scorer} is one through {@link #of(Scorer)}.
 */
@FunctionalInterface
public interface CaseScorer {
    float[][] score(List<HeldOutBasket> cases);

    static CaseScorer of(Scorer scorer) {
        return cases -> {
            int[][] h = new int[cases.size()][];
            for (int i = 0; i < h.length; i++) {
                h[i] = cases.get(i).history();
            }
            return scorer.score(h);
        };
    }

    /**
     * A scorer of histories with times and behaviours (e.g. {@code InterestModel::score}): it sees each
     * case's {@link HeldOutBasket#input()}, predicted at the held-out basket's time.
     */
    static CaseScorer ofTimed(Function<List<TimedHistory>, float[][]> scorer) {
        return cases -> scorer.apply(cases.stream().map(HeldOutBasket::input).toList());
    }
}
