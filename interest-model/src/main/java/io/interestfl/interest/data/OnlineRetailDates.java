package io.interestfl.interest.data;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The InvoiceDate forms of the Online Retail file, read as UK wall-clock times with the {@code Europe/London} rules
 * (a spring-forward gap is shifted forward, an ambiguous autumn hour takes the earlier offset): the shared file's
 * {@code YYYY-MM-DD HH:MM:SS} and R {@code write.csv}'s {@code M/D/YYYY H:MM[:SS]}. Both parsers are strict and throw
 * {@link DateTimeException} for anything else; the caller names the file, line and form.
 */
final class OnlineRetailDates {
    private static final ZoneId LONDON = ZoneId.of("Europe/London");

    private OnlineRetailDates() {
    }

    /** Epoch seconds of {@code text} in the form of {@code form} ({@link OnlineRetailLoader.Format#R_CSV} or not). */
    static long epochSeconds(String text, OnlineRetailLoader.Format form) {
        return form == OnlineRetailLoader.Format.R_CSV ? us(text) : iso(text);
    }

    /** The form named in the error message of a bad date. */
    static String describe(OnlineRetailLoader.Format form) {
        return form == OnlineRetailLoader.Format.R_CSV ? "M/D/YYYY H:MM (R write.csv form)" : "YYYY-MM-DD HH:MM:SS";
    }

    /** {@code YYYY-MM-DD HH:MM:SS}, exactly (after trimming). */
    static long iso(String text) {
        String t = text.trim();
        if (t.length() != 19 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != ' '
                || t.charAt(13) != ':' || t.charAt(16) != ':') {
            throw new DateTimeException(text);
        }
        int year = digits(t, 0, 4), month = digits(t, 5, 2), day = digits(t, 8, 2);
        int hour = digits(t, 11, 2), minute = digits(t, 14, 2), second = digits(t, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
            throw new DateTimeException(text);
        }
        return london(year, month, day, hour, minute, second);
    }

    /** {@code M/D/YYYY H:MM} or {@code M/D/YYYY H:MM:SS} (month and day 1 or 2 digits, hour 1 or 2). */
    static long us(String text) {
        String t = text.trim();
        int[] v = new int[6];
        int field = 0, digitsInField = 0;
        char[] expected = {'/', '/', ' ', ':', ':'};
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++digitsInField > (field == 2 ? 4 : 2)) {
                    throw new DateTimeException(text);
                }
                v[field] = v[field] * 10 + (c - '0');
            } else if (field < expected.length && c == expected[field] && digitsInField > 0
                    && (field != 2 || digitsInField == 4)) {
                field++;
                digitsInField = 0;
            } else {
                throw new DateTimeException(text);
            }
        }
        if (field < 4 || digitsInField == 0) {
            throw new DateTimeException(text);
        }
        return london(v[2], v[0], v[1], v[3], v[4], v[5]);
    }

    private static long london(int year, int month, int day, int hour, int minute, int second) {
        LocalDateTime ldt = LocalDateTime.of(year, month, day, hour, minute, second);
        // gap (spring forward): shifted forward; overlap (autumn): earlier offset
        return ZonedDateTime.of(ldt, LONDON).toEpochSecond();
    }

    /** The decimal value of {@code len} digits from {@code from}, or -1 when one of them is not a digit. */
    private static int digits(String s, int from, int len) {
        int v = 0;
        for (int i = from; i < from + len; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
