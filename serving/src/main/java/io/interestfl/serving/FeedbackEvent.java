package io.interestfl.serving;

import java.util.Locale;

/**
 * One line of the feedback log.
 *
 * @param timestampMillis when it happened (epoch milliseconds)
 * @param customer        customer id ({@code [A-Za-z0-9._-]{1,64}})
 * @param item            item id in the catalogue
 * @param event           what happened
 */
public record FeedbackEvent(long timestampMillis, String customer, int item, Type event) {
    /** Event types, in increasing order of interest. */
    public enum Type {
        IMPRESSION, CLICK, PURCHASE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses {@code impression|click|purchase}; null for anything else. */
        public static Type parse(String s) {
            if (s == null) {
                return null;
            }
            return switch (s) {
                case "impression" -> IMPRESSION;
                case "click" -> CLICK;
                case "purchase" -> PURCHASE;
                default -> null;
            };
        }
    }

    public static final java.util.regex.Pattern CUSTOMER = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public FeedbackEvent {
        if (customer == null || !CUSTOMER.matcher(customer).matches()) {
            throw new IllegalArgumentException("customer must match [A-Za-z0-9._-]{1,64}, got '" + customer + "'");
        }
        if (item < 0) {
            throw new IllegalArgumentException("item must be >= 0, got " + item);
        }
        java.util.Objects.requireNonNull(event, "event");
    }
}
