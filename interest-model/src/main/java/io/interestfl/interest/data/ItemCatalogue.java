package io.interestfl.interest.data;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The federation-wide product list, mapping stock codes to dense model ids.
 * Id {@value #PAD} is padding, id {@value #OOV} is "out of vocabulary", and products get ids
 * {@code 2 .. size()-1} in sorted ({@link String#compareTo}, i.e. UTF-16 code unit) stock-code order.
 * All nodes of a federation must use the same catalogue; compare {@link #sha256()}.
 * Immutable and thread-safe.
 */
public final class ItemCatalogue {
    public static final int PAD = 0;
    public static final int OOV = 1;
    /** Number of reserved ids before the first product. */
    public static final int RESERVED = 2;
    public static final String PAD_CODE = "<PAD>";
    public static final String OOV_CODE = "<OOV>";

    private final List<String> codes;
    private final Map<String, Integer> ids;
    private final String sha256;

    private ItemCatalogue(List<String> sortedDistinct) {
        this.codes = Collections.unmodifiableList(new ArrayList<>(sortedDistinct));
        this.ids = new HashMap<>(sortedDistinct.size() * 2);
        for (int i = 0; i < codes.size(); i++) {
            ids.put(codes.get(i), i + RESERVED);
        }
        this.sha256 = hash(codes);
    }

    /** A catalogue of the distinct codes (sorted; duplicates ignored). */
    public static ItemCatalogue of(Collection<String> codes) {
        TreeSet<String> sorted = new TreeSet<>();
        for (String c : codes) {
            validate(c);
            sorted.add(c);
        }
        return new ItemCatalogue(new ArrayList<>(sorted));
    }

    /** A catalogue of the stock codes that occur in the purchases. */
    public static ItemCatalogue fromPurchases(List<Purchase> purchases) {
        TreeSet<String> sorted = new TreeSet<>();
        for (Purchase p : purchases) {
            sorted.add(p.stockCode());
        }
        return of(sorted);
    }

    private static void validate(String c) {
        Objects.requireNonNull(c, "stock code");
        if (c.isEmpty() || c.indexOf('\n') >= 0 || c.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("invalid stock code '" + c + "': empty or contains a line break");
        }
    }

    /** Number of ids including the two reserved ones ({@code products + 2}); the model's output size. */
    public int size() {
        return codes.size() + RESERVED;
    }

    /** Number of products ({@code size() - 2}). */
    public int productCount() {
        return codes.size();
    }

    /** Id of a code, {@link #OOV} if unknown. */
    public int idOf(String code) {
        Integer id = ids.get(code);
        return id == null ? OOV : id;
    }

    /** Code of an id; {@value #PAD_CODE} for 0 and {@value #OOV_CODE} for 1. */
    public String codeOf(int id) {
        if (id == PAD) {
            return PAD_CODE;
        }
        if (id == OOV) {
            return OOV_CODE;
        }
        if (id < RESERVED || id >= size()) {
            throw new IndexOutOfBoundsException("item id " + id + " not in [0, " + size() + ")");
        }
        return codes.get(id - RESERVED);
    }

    /** The product codes in id order (id of {@code codes().get(i)} is {@code i + 2}); unmodifiable. */
    public List<String> codes() {
        return codes;
    }

    /** Lower-case hex SHA-256 of the sorted codes joined by {@code '\n'} (UTF-8, no trailing newline). */
    public String sha256() {
        return sha256;
    }

    private static String hash(List<String> codes) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(String.join("\n", codes).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes one code per line (UTF-8, each line ending in '\n'). */
    public void write(Path file) {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (String c : codes) {
                w.write(c);
                w.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write catalogue " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a file written by {@link #write(Path)}; empty lines are ignored, the order is re-sorted. */
    public static ItemCatalogue read(Path file) {
        List<String> list = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isEmpty()) {
                    list.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read catalogue " + file + ": " + e.getMessage(), e);
        }
        return of(list);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ItemCatalogue other && codes.equals(other.codes);
    }

    @Override
    public int hashCode() {
        return codes.hashCode();
    }

    @Override
    public String toString() {
        return "ItemCatalogue[" + codes.size() + " products, sha256=" + sha256.substring(0, 12) + "...]";
    }
}
