package io.interestfl.serving.policy;

/**
 * The last {@code capacity} observations (item id, reward) of one customer, oldest first. Kept so that the
 * customer's posterior can be rebuilt on the item vectors of a new model: the sufficient statistics of
 * {@link LinearPosterior} are in the old model's coordinates and cannot be carried over, the raw observations can.
 * Not thread-safe: callers synchronize.
 */
final class ObservationMemory {
    private final int[] items;
    private final double[] rewards;
    private int next;      // slot of the next observation
    private int size;

    ObservationMemory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        items = new int[capacity];
        rewards = new double[capacity];
    }

    /** Records a new observation, dropping the oldest when full. */
    void add(int item, double reward) {
        items[next] = item;
        rewards[next] = reward;
        next = (next + 1) % items.length;
        size = Math.min(size + 1, items.length);
    }

    /** Adds reward to the most recent observation of {@code item} (a click after its impression), if still kept. */
    void addReward(int item, double reward) {
        for (int j = 1; j <= size; j++) {
            int slot = Math.floorMod(next - j, items.length);
            if (items[slot] == item) {
                rewards[slot] += reward;
                return;
            }
        }
    }

    /** Forgets every observation. */
    void clear() {
        next = 0;
        size = 0;
    }

    int size() {
        return size;
    }

    /** Item of the {@code j}-th kept observation, 0 = oldest. */
    int item(int j) {
        return items[slot(j)];
    }

    double reward(int j) {
        return rewards[slot(j)];
    }

    private int slot(int j) {
        if (j < 0 || j >= size) {
            throw new IndexOutOfBoundsException(j);
        }
        return Math.floorMod(next - size + j, items.length);
    }
}
