package io.interestfl.serving;

import io.interestfl.serving.policy.ItemSpace;

import java.util.Map;
import java.util.Objects;

/** Fixed customer vectors and item space (tests, benchmarks, the simulator's serving path). */
public final class StaticRepresentations implements RepresentationProvider {
    private final ItemSpace items;
    private final Map<String, float[]> customers;

    public StaticRepresentations(ItemSpace items, Map<String, float[]> customers) {
        this.items = Objects.requireNonNull(items, "items");
        this.customers = Map.copyOf(customers);
        customers.forEach((c, v) -> {
            if (v.length != items.dimension()) {
                throw new IllegalArgumentException("customer " + c + " has dimension " + v.length
                        + " but items have " + items.dimension());
            }
        });
    }

    @Override
    public ItemSpace items() {
        return items;
    }

    @Override
    public float[] customerVector(String customer) {
        return customers.get(customer);
    }
}
