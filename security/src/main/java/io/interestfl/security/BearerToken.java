package io.interestfl.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A shared secret for an HTTP API (the coordinator's admin port, a node's recommendation API): read from its file,
 * or made there on first use (32 bytes from SecureRandom, hex, owner-only), and compared in constant time.
 */
public final class BearerToken {
  private final byte[] token;

  private BearerToken(String token) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  /** A token given in configuration or by a test (at least 16 characters). */
  public static BearerToken of(String token) {
    if (token == null || token.length() < 16) {
      throw new IllegalArgumentException("a bearer token of at least 16 characters is required");
    }
    return new BearerToken(token);
  }

  /** The token in {@code file}, made there first when it does not exist; {@code what} names it in errors. */
  public static BearerToken loadOrCreate(Path file, String what) {
    try {
      if (Files.exists(file)) {
        String token = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (token.length() < 16) {
          throw new IllegalArgumentException(what + " " + file + ": a token of at least 16 characters is required");
        }
        return new BearerToken(token);
      }
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      String token = HexFormat.of().formatHex(random);
      OwnerOnlyFile.write(file, token + "\n", false);
      return new BearerToken(token);
    } catch (IOException e) {
      throw new UncheckedIOException(what + " " + file + ": " + e.getMessage(), e);
    }
  }

  /** The token itself, for a client of the API. */
  public String value() {
    return new String(token, StandardCharsets.UTF_8);
  }

  /** True when {@code authorization} (an HTTP Authorization header, or null) is {@code Bearer <this token>}. */
  public boolean admits(String authorization) {
    byte[] given = authorization != null && authorization.startsWith("Bearer ")
        ? authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
    return MessageDigest.isEqual(given, token);
  }
}
