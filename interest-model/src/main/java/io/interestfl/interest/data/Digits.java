package io.interestfl.interest.data;

/** Recognises unsigned decimal numbers written in ASCII digits: column indices, epoch timestamps, numeric user ids. */
final class Digits {
    private Digits() {
    }

    /** True when {@code s} is not empty and every character of it is {@code 0..9}. */
    static boolean only(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return !s.isEmpty();
    }
}
