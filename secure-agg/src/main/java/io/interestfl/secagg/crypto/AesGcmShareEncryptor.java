package io.interestfl.secagg.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM (JCA) with a random 96-bit nonce prepended to the ciphertext and a 128-bit tag.
 * Each key encrypts at most two messages (one per direction of a client pair), far below the
 * random-nonce limit.
 */
public final class AesGcmShareEncryptor implements ShareEncryptor {
  /** Nonce length in bytes. */
  public static final int NONCE_LENGTH = 12;
  /** Tag length in bytes. */
  public static final int TAG_LENGTH = 16;

  private final SecretKeySpec key;
  private final SecureRandom random;

  /** Uses the 32-byte secret as AES-256 key; nonces come from {@code random}. */
  public AesGcmShareEncryptor(Secret key, SecureRandom random) {
    this.key = new SecretKeySpec(key.bytes(), "AES");
    this.random = random;
  }

  @Override
  public byte[] seal(byte[] plaintext, byte[] associatedData) {
    byte[] nonce = new byte[NONCE_LENGTH];
    random.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
      c.updateAAD(associatedData);
      byte[] out = new byte[NONCE_LENGTH + plaintext.length + TAG_LENGTH];
      System.arraycopy(nonce, 0, out, 0, NONCE_LENGTH);
      c.doFinal(plaintext, 0, plaintext.length, out, NONCE_LENGTH);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  @Override
  public byte[] open(byte[] sealed, byte[] associatedData) throws AuthenticationFailedException {
    if (sealed.length < NONCE_LENGTH + TAG_LENGTH) {
      throw new AuthenticationFailedException("sealed share too short: " + sealed.length, null);
    }
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, sealed, 0, NONCE_LENGTH));
      c.updateAAD(associatedData);
      return c.doFinal(sealed, NONCE_LENGTH, sealed.length - NONCE_LENGTH);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new AuthenticationFailedException("AES-GCM tag mismatch", e);
    } catch (GeneralSecurityException e) {
      throw new AuthenticationFailedException("AES-GCM decryption failed", e);
    }
  }
}
