package io.interestfl.serving.policy;

/**
 * Builds a slate for a customer and learns from feedback. Implementations are thread-safe; the same
 * seed, the same item space and the same sequence of calls give the same slates.
 */
public interface ExplorationPolicy {
    /** Policy name as configured ({@code greedy}, {@code egreedy}, {@code thompson}, {@code linucb}, {@code random}). */
    String name();

    /** A slate of at most {@code k} distinct items (fewer only when the catalogue or the diversity constraint runs out). */
    Slate recommend(CustomerContext ctx, int k);

    /** Learns from one observation. */
    void update(Feedback feedback);

    /**
     * A new interest model arrived (new item vectors): the policy switches to it and forgets what it learnt
     * on top of the previous one.
     */
    void reset(ItemSpace items);
}
