package io.interestfl.serving.policy;

import java.util.SplittableRandom;

/** Uniformly random slates (every slot explore): the baseline, and the logging policy of replay evaluation. */
public final class RandomPolicy extends PosteriorPolicy {
    public RandomPolicy(ItemSpace items, PolicyConfig config) {
        super("random", items, config);
    }

    @Override
    protected void rank(ItemSpace it, Estimate e, SlateBuilder slate, SplittableRandom rng, long t) {
        slate.fillRandom(rng);
    }
}
