package io.interestfl.interest.data;

import java.util.Locale;

/**
 * Kind of an interaction in a behaviour log, weakest to strongest. Online Retail rows are all
 * {@link #BUY}. Generic event logs map their own labels ({@code pv}, {@code addtocart}, ...) to these
 * through {@link EventLogFormat}.
 */
public enum Behaviour {
    VIEW, CART, FAVORITE, BUY;

    private static final Behaviour[] VALUES = values();

    /** Compact code stored in {@link Basket} ({@code ordinal()}). */
    public byte code() {
        return (byte) ordinal();
    }

    public static Behaviour ofCode(int code) {
        if (code < 0 || code >= VALUES.length) {
            throw new IllegalArgumentException("behaviour code " + code + " not in [0, " + VALUES.length + ")");
        }
        return VALUES[code];
    }

    /** Parses {@code view|cart|favorite|favourite|fav|buy} (case-insensitive). */
    public static Behaviour parse(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "view" -> VIEW;
            case "cart" -> CART;
            case "favorite", "favourite", "fav" -> FAVORITE;
            case "buy" -> BUY;
            default -> throw new IllegalArgumentException("unknown behaviour '" + name
                    + "' (expected view, cart, favorite or buy)");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
