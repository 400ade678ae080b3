package io.interestfl.serving;

import io.interestfl.serving.policy.ItemSpace;

/** What the server knows from the interest model: item vectors and, for known customers, a customer vector. */
public interface RepresentationProvider {
    /** The current item space (may change when a new global model arrives). */
    ItemSpace items();

    /** The customer's vector (dimension {@code items().dimension()}), or {@code null} for an unknown customer. */
    float[] customerVector(String customer);

    /** The customer's repeat/explore head (their history and repeat probability), or {@code null}: none. */
    default io.interestfl.serving.policy.RepeatHead repeatHead(String customer) {
        return null;
    }

    /** The customers this provider knows, most active first (for the merchant console); empty by default. */
    default java.util.List<String> customers() {
        return java.util.List.of();
    }

    /**
     * A customer's interest profile for the merchant console ({@code baskets}, {@code topItems}, {@code categories},
     * {@code timeline}, {@code repeatProbability}), or {@code null} for an unknown customer.
     */
    default io.vertx.core.json.JsonObject profile(String customer) {
        return null;
    }

    /** The merchant's code of an item id (its product code in the catalogue), or {@code null} when unknown. */
    default String itemCode(int item) {
        return null;
    }
}
