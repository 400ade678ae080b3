package io.interestfl.secagg.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Shamir t-of-n secret sharing of a 32-byte {@link Secret} over the prime field GF(p), p = 2^256 +
 * 297 (the smallest prime above 2^256, so every 256-bit secret is a field element). Share holders
 * are identified by their client id, used directly as the evaluation point x (ids are positive
 * and below p). Polynomial coefficients come from {@link SecureRandom}. Unlike GF(2^8) sharing,
 * any number of holders is supported (plain SecAgg with n = 1000 needs 1000 shares).
 */
public final class ShamirSharing {
  /** The field modulus 2^256 + 297. */
  public static final BigInteger PRIME = BigInteger.TWO.pow(256).add(BigInteger.valueOf(297));
  /** Encoded length of a share value y (p needs 257 bits). */
  public static final int SHARE_LENGTH = 33;

  private static final BigInteger TWO_256 = BigInteger.TWO.pow(256);

  /** One share: evaluation point {@code x} (holder id) and value {@code y}. */
  public record Share(int x, BigInteger y) {
    /** Validates ranges. */
    public Share {
      if (x <= 0) {
        throw new IllegalArgumentException("share x must be positive, got " + x);
      }
      if (y.signum() < 0 || y.compareTo(PRIME) >= 0) {
        throw new IllegalArgumentException("share y out of field range");
      }
    }

    /** The 33-byte big-endian encoding of y. */
    public byte[] encodedY() {
      byte[] raw = y.toByteArray();
      byte[] out = new byte[SHARE_LENGTH];
      int copy = Math.min(raw.length, SHARE_LENGTH);
      System.arraycopy(raw, raw.length - copy, out, SHARE_LENGTH - copy, copy);
      return out;
    }

    /** Decodes a share value; rejects wrong lengths and values outside the field. */
    public static Share decode(int x, byte[] encodedY) {
      if (encodedY.length != SHARE_LENGTH) {
        throw new IllegalArgumentException("share must be " + SHARE_LENGTH + " bytes");
      }
      return new Share(x, new BigInteger(1, encodedY));
    }

    @Override
    public String toString() {
      return "Share[x=" + x + "]";
    }
  }

  private ShamirSharing() {}

  /**
   * Splits {@code secret} so that any {@code threshold} of the holders can reconstruct it and
   * fewer learn nothing.
   */
  public static List<Share> split(
      Secret secret, int threshold, Collection<Integer> holders, SecureRandom random) {
    if (threshold < 1 || threshold > holders.size()) {
      throw new IllegalArgumentException(
          "threshold " + threshold + " must be in [1, " + holders.size() + "]");
    }
    BigInteger[] coeff = new BigInteger[threshold];
    coeff[0] = new BigInteger(1, secret.bytes());
    for (int i = 1; i < threshold; i++) {
      BigInteger c;
      do {
        c = new BigInteger(257, random);
      } while (c.compareTo(PRIME) >= 0);
      coeff[i] = c;
    }
    List<Share> shares = new ArrayList<>(holders.size());
    Set<Integer> seen = new HashSet<>();
    for (int x : holders) {
      if (!seen.add(x)) {
        throw new IllegalArgumentException("duplicate holder " + x);
      }
      BigInteger bx = BigInteger.valueOf(x);
      BigInteger y = coeff[threshold - 1];
      for (int i = threshold - 2; i >= 0; i--) {
        y = y.multiply(bx).add(coeff[i]).mod(PRIME);
      }
      shares.add(new Share(x, y));
    }
    return shares;
  }

  /**
   * Reconstructs the secret from exactly the given shares (use at least the threshold).
   *
   * @throws IllegalArgumentException if shares repeat an x or the result is not a 256-bit value
   *     (a sign of corrupted shares)
   */
  public static Secret reconstruct(List<Share> shares) {
    int n = shares.size();
    if (n == 0) {
      throw new IllegalArgumentException("no shares");
    }
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < n; i++) {
      if (!seen.add(shares.get(i).x())) {
        throw new IllegalArgumentException("duplicate share x " + shares.get(i).x());
      }
    }
    // Lagrange at 0: lambda_i = prod_{j!=i} x_j / (x_j - x_i). The x are small integers, so the
    // products are exact small-by-big multiplications; the n denominators are inverted together
    // (Montgomery's trick: one modular inversion per secret).
    BigInteger[] num = new BigInteger[n];
    BigInteger[] den = new BigInteger[n];
    for (int i = 0; i < n; i++) {
      BigInteger a = BigInteger.ONE;
      BigInteger d = BigInteger.ONE;
      long xi = shares.get(i).x();
      for (int j = 0; j < n; j++) {
        if (j != i) {
          long xj = shares.get(j).x();
          a = a.multiply(BigInteger.valueOf(xj));
          d = d.multiply(BigInteger.valueOf(xj - xi));
        }
      }
      num[i] = a.mod(PRIME);
      den[i] = d.mod(PRIME);
    }
    BigInteger[] prefix = new BigInteger[n + 1];
    prefix[0] = BigInteger.ONE;
    for (int i = 0; i < n; i++) {
      prefix[i + 1] = prefix[i].multiply(den[i]).mod(PRIME);
    }
    BigInteger inv = prefix[n].modInverse(PRIME);
    BigInteger secret = BigInteger.ZERO;
    for (int i = n - 1; i >= 0; i--) {
      BigInteger denInverse = inv.multiply(prefix[i]).mod(PRIME);
      inv = inv.multiply(den[i]).mod(PRIME);
      secret = secret.add(shares.get(i).y().multiply(num[i]).mod(PRIME).multiply(denInverse));
    }
    secret = secret.mod(PRIME);
    if (secret.compareTo(TWO_256) >= 0) {
      throw new IllegalArgumentException("reconstructed value exceeds 256 bits: corrupted shares");
    }
    byte[] raw = secret.toByteArray();
    byte[] out = new byte[Secret.LENGTH];
    int copy = Math.min(raw.length, Secret.LENGTH);
    System.arraycopy(raw, raw.length - copy, out, Secret.LENGTH - copy, copy);
    return Secret.of(out);
  }
}
