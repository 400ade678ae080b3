package io.interestfl.serving.policy;

/**
 * One position of a slate.
 *
 * @param item  item id in the catalogue
 * @param score the score the policy ranked the item by (posterior mean, sample, upper bound or popularity)
 * @param kind  exploit or explore
 */
public record Slot(int item, double score, SlotKind kind) {
}
