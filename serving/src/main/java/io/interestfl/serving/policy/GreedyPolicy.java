package io.interestfl.serving.policy;

import java.util.SplittableRandom;

/** Top-k by posterior mean {@code mu . v_i + b_i}; every slot is exploit. */
public final class GreedyPolicy extends PosteriorPolicy {
    public GreedyPolicy(ItemSpace items, PolicyConfig config) {
        super("greedy", items, config);
    }

    @Override
    protected void rank(ItemSpace it, Estimate e, SlateBuilder slate, SplittableRandom rng, long t) {
        double[] scores = scores(it, e.mean(), e);
        slate.fillByScore(SlateBuilder.descending(scores, it.firstItem()), scores, SlotKind.EXPLOIT);
    }
}
