package io.interestfl.interest.data;

import java.util.Arrays;

/**
 * One step of a customer's sequence: an invoice (Online Retail) or the events of a user that share a
 * timestamp or session (event logs). Its time and its distinct item ids in file order (may contain
 * {@link ItemCatalogue#OOV} for products unknown to the catalogue).
 *
 * <p>Optional per-item side information, parallel to {@code itemIds} ({@code null} when the data has
 * none): {@code behaviours} holds {@link Behaviour#code()}s (absent means every item was bought), and
 * {@code categories} holds category ids (see {@link EventLog#categoryName(int)}; -1 = unknown).
 * The two-argument constructor keeps the original item-only form.
 */
public record Basket(long epochSeconds, int[] itemIds, byte[] behaviours, int[] categories)
        implements java.io.Serializable {
    public Basket {
        itemIds = itemIds.clone();
        if (behaviours != null) {
            if (behaviours.length != itemIds.length) {
                throw new IllegalArgumentException("behaviours has " + behaviours.length + " entries for "
                        + itemIds.length + " items");
            }
            behaviours = behaviours.clone();
        }
        if (categories != null) {
            if (categories.length != itemIds.length) {
                throw new IllegalArgumentException("categories has " + categories.length + " entries for "
                        + itemIds.length + " items");
            }
            categories = categories.clone();
        }
    }

    /** A basket of bought items without categories. */
    public Basket(long epochSeconds, int[] itemIds) {
        this(epochSeconds, itemIds, null, null);
    }

    @Override
    public int[] itemIds() {
        return itemIds.clone();
    }

    /** Copy of the behaviour codes, or {@code null} when not recorded (all bought). */
    @Override
    public byte[] behaviours() {
        return behaviours == null ? null : behaviours.clone();
    }

    /** Copy of the category ids, or {@code null} when the data has no categories. */
    @Override
    public int[] categories() {
        return categories == null ? null : categories.clone();
    }

    /** Number of items. */
    public int size() {
        return itemIds.length;
    }

    /** Item at position i (no copy). */
    public int item(int i) {
        return itemIds[i];
    }

    /** Behaviour of item i ({@link Behaviour#BUY} when not recorded). */
    public Behaviour behaviour(int i) {
        return behaviours == null ? Behaviour.BUY : Behaviour.ofCode(behaviours[i]);
    }

    /** Category id of item i, -1 when unknown or not recorded. */
    public int category(int i) {
        return categories == null ? -1 : categories[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Basket b && b.epochSeconds == epochSeconds && Arrays.equals(b.itemIds, itemIds)
                && Arrays.equals(b.behaviours, behaviours) && Arrays.equals(b.categories, categories);
    }

    @Override
    public int hashCode() {
        return (Long.hashCode(epochSeconds) * 31 + Arrays.hashCode(itemIds)) * 31
                + Arrays.hashCode(behaviours) * 7 + Arrays.hashCode(categories);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Basket[").append(epochSeconds).append(", ").append(Arrays.toString(itemIds));
        if (behaviours != null) {
            sb.append(", behaviours=").append(Arrays.toString(behaviours));
        }
        if (categories != null) {
            sb.append(", categories=").append(Arrays.toString(categories));
        }
        return sb.append(']').toString();
    }
}
