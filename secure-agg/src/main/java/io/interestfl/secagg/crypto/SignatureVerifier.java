package io.interestfl.secagg.crypto;

/** Verifies signatures of one identity. */
public interface SignatureVerifier {
  /** True iff {@code signature} is a valid signature of {@code message} by this identity. */
  boolean verify(byte[] message, byte[] signature);
}
