package io.interestfl.serving.policy;

import java.util.SplittableRandom;

/**
 * Epsilon-greedy per slot: with probability {@code epsilon(t)} ({@link EpsilonSchedule}, t = slates served
 * so far) a slot gets a uniformly random item (explore), otherwise the next best item by posterior mean
 * (exploit).
 */
public final class EpsilonGreedyPolicy extends PosteriorPolicy {
    public EpsilonGreedyPolicy(ItemSpace items, PolicyConfig config) {
        super("egreedy", items, config);
    }

    @Override
    protected void rank(ItemSpace it, Estimate e, SlateBuilder slate, SplittableRandom rng, long t) {
        double eps = config.epsilon().epsilon(t);
        double[] scores = scores(it, e.mean(), e);
        int[] order = SlateBuilder.descending(scores, it.firstItem());
        int next = 0;
        while (!slate.full()) {
            if (rng.nextDouble() < eps && slate.addRandom(rng, scores, SlotKind.EXPLORE)) {
                continue;
            }
            while (next < order.length && !slate.fits(order[next])) {
                next++;
            }
            if (next == order.length) {
                break;
            }
            slate.add(order[next], scores[order[next]], SlotKind.EXPLOIT);
        }
    }
}
