package io.interestfl.privacy.budget;

import io.interestfl.privacy.accounting.PrivacyMechanism;
import io.interestfl.privacy.accounting.SubsampledGaussian;
import io.interestfl.privacy.accounting.ZcdpMechanism;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The ledger's line format, version 1. One entry per line, single spaces between fixed fields in a
 * fixed order, each field {@code key=value}, ending with a CRC-32 of everything before
 * {@code " crc32="}:
 * <pre>
 * # interestfl privacy ledger v1
 * v1 round=12 time=2026-11-23T13:00:00.123Z mechanism=subsampled_gaussian q=0.01 z=1.1 steps=100 epsilon=0.5321 crc32=1a2b3c4d
 * v1 round=13 time=2026-11-23T13:05:00Z mechanism=zcdp rho=0.05 epsilon=1.234 crc32=0badf00d
 * </pre>
 * Numbers are Java's shortest round-trip form ({@link Double#toString}); parsing is strict.
 */
final class LedgerLineFormat {

    static final String HEADER = "# interestfl privacy ledger v1";
    static final String SUBSAMPLED_GAUSSIAN = "subsampled_gaussian";
    static final String ZCDP = "zcdp";

    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]+\\.[0-9]+(E-?[0-9]+)?");
    private static final Pattern COUNT = Pattern.compile("[0-9]{1,18}");
    private static final Pattern CRC = Pattern.compile("[0-9a-f]{8}");

    private LedgerLineFormat() {
    }

    static String format(LedgerEntry e) {
        StringBuilder sb = new StringBuilder("v1 round=").append(e.roundId())
                .append(" time=").append(e.recordedAt());
        PrivacyMechanism m = e.mechanism();
        if (m instanceof SubsampledGaussian g) {
            sb.append(" mechanism=").append(SUBSAMPLED_GAUSSIAN)
                    .append(" q=").append(g.samplingRate())
                    .append(" z=").append(g.noiseMultiplier())
                    .append(" steps=").append(g.steps());
        } else if (m instanceof ZcdpMechanism z) {
            sb.append(" mechanism=").append(ZCDP).append(" rho=").append(z.rho());
        } else {
            throw new IllegalArgumentException("unknown mechanism " + m);
        }
        sb.append(" epsilon=").append(e.epsilonAfter());
        String body = sb.toString();
        return body + " crc32=" + crc(body);
    }

    /** Parses one line (without its newline); throws IllegalArgumentException saying what is wrong. */
    static LedgerEntry parse(String line) {
        int crcAt = line.lastIndexOf(" crc32=");
        if (crcAt < 0) {
            throw new IllegalArgumentException("no crc32 field");
        }
        String body = line.substring(0, crcAt);
        String crc = line.substring(crcAt + " crc32=".length());
        if (!CRC.matcher(crc).matches()) {
            throw new IllegalArgumentException("malformed crc32 '" + crc + "'");
        }
        if (!crc.equals(crc(body))) {
            throw new IllegalArgumentException("crc32 mismatch: line says " + crc + ", content gives " + crc(body));
        }
        String[] f = body.split(" ", -1);
        if (f.length < 4 || !f[0].equals("v1")) {
            throw new IllegalArgumentException("expected a 'v1' entry, got '" + (f.length > 0 ? f[0] : "") + "'");
        }
        long round = Long.parseLong(value(f[1], "round", COUNT));
        Instant time;
        try {
            time = Instant.parse(value(f[2], "time", null));
        } catch (DateTimeParseException ex) {
            throw new IllegalArgumentException("malformed time '" + f[2] + "'");
        }
        String kind = value(f[3], "mechanism", null);
        PrivacyMechanism mechanism;
        int next;
        if (kind.equals(SUBSAMPLED_GAUSSIAN)) {
            expectFields(f, 8);
            mechanism = new SubsampledGaussian(decimal(f[4], "q"), decimal(f[5], "z"),
                    Long.parseLong(value(f[6], "steps", COUNT)));
            next = 7;
        } else if (kind.equals(ZCDP)) {
            expectFields(f, 6);
            mechanism = new ZcdpMechanism(decimal(f[4], "rho"));
            next = 5;
        } else {
            throw new IllegalArgumentException("unknown mechanism '" + kind + "'");
        }
        double epsilon = decimal(f[next], "epsilon");
        return new LedgerEntry(round, time, mechanism, epsilon);
    }

    private static void expectFields(String[] f, int n) {
        if (f.length != n) {
            throw new IllegalArgumentException("expected " + n + " fields before crc32, got " + f.length);
        }
    }

    private static double decimal(String field, String key) {
        String v = value(field, key, DECIMAL);
        return Double.parseDouble(v);
    }

    private static String value(String field, String key, Pattern pattern) {
        String prefix = key + "=";
        if (!field.startsWith(prefix)) {
            throw new IllegalArgumentException("expected field '" + key + "', got '" + field + "'");
        }
        String v = field.substring(prefix.length());
        if (v.isEmpty() || (pattern != null && !pattern.matcher(v).matches())) {
            throw new IllegalArgumentException("malformed " + key + " '" + v + "'");
        }
        return v;
    }

    static String crc(String body) {
        CRC32 c = new CRC32();
        c.update(body.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", c.getValue());
    }
}
