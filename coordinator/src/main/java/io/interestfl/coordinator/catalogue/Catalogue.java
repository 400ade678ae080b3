package io.interestfl.coordinator.catalogue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

/**
 * The federation's shared item catalogue: the platform's product list (not private), published to
 * every client node so that all of them map a product to the same model row. Item id 0 is padding,
 * id 1 is out-of-vocabulary, products take ids 2.. in sorted code order. Clients verify the SHA-256
 * of the sorted codes joined by '\n'.
 */
public record Catalogue(List<String> codes, String sha256) {
  public static final int RESERVED_IDS = 2;

  public static Catalogue of(List<String> rawCodes) {
    TreeSet<String> sorted = new TreeSet<>();
    for (String code : rawCodes) {
      String trimmed = code.trim();
      if (!trimmed.isEmpty()) {
        sorted.add(trimmed);
      }
    }
    if (sorted.isEmpty()) {
      throw new IllegalArgumentException("the catalogue has no product codes");
    }
    List<String> codes = List.copyOf(new ArrayList<>(sorted));
    return new Catalogue(codes, sha256(codes));
  }

  public static Catalogue read(Path file) throws IOException {
    return of(Files.readAllLines(file, StandardCharsets.UTF_8));
  }

  /** Number of item ids, padding and out-of-vocabulary included. */
  public int size() {
    return codes.size() + RESERVED_IDS;
  }

  private static String sha256(List<String> codes) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(String.join("\n", codes).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }
}
