package io.interestfl.secagg.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A 32-byte secret (self-mask seed, pairwise mask seed, X25519 private key, AEAD key).
 *
 * <p>Fresh secrets only come from {@link SecureRandom}; derived ones only from HKDF or Shamir
 * reconstruction. {@link #toString()} never prints the bytes.
 */
public final class Secret {
  /** Length of every secret in bytes. */
  public static final int LENGTH = 32;

  private final byte[] bytes;

  private Secret(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a secret is " + LENGTH + " bytes, got " + bytes.length);
    }
    this.bytes = bytes;
  }

  /** A fresh uniformly random secret. */
  public static Secret random(SecureRandom random) {
    byte[] b = new byte[LENGTH];
    random.nextBytes(b);
    return new Secret(b);
  }

  /** Wraps (a copy of) existing bytes, e.g. the output of Shamir reconstruction. */
  public static Secret of(byte[] bytes) {
    return new Secret(bytes.clone());
  }

  /** A copy of the secret bytes: only for code in this module that feeds a primitive. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Overwrites the secret with zeros (best effort; the JVM may hold copies). */
  public void destroy() {
    Arrays.fill(bytes, (byte) 0);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && MessageDigest.isEqual(bytes, s.bytes);
  }

  @Override
  public int hashCode() {
    return 0; // never leak secret bits through hash codes
  }

  @Override
  public String toString() {
    return "Secret[32 bytes]";
  }
}
