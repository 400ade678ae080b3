package io.interestfl.secagg.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * HKDF "info" for a pairwise key: purpose label, session id, and the two client ids (ordered,
 * so both parties derive the same key).
 *
 * @param purpose what the key is for; different purposes give independent keys
 * @param sessionId the 32-byte session id of the round (hash of the round start, the model and every
 *     advertised key)
 * @param clientA one client id
 * @param clientB the other client id
 */
public record KeyContext(Purpose purpose, byte[] sessionId, int clientA, int clientB) {
  /** Key purposes. */
  public enum Purpose {
    /** AES-256-GCM key for the encrypted Shamir shares between two clients. */
    SHARE_ENCRYPTION("interestfl/secagg/v1/share-encryption"),
    /** ChaCha20 seed s_uv of the pairwise mask between two clients. */
    PAIRWISE_MASK("interestfl/secagg/v1/pairwise-mask");

    private final String label;

    Purpose(String label) {
      this.label = label;
    }
  }

  /** Validates the session id length. */
  public KeyContext {
    if (sessionId == null || sessionId.length != Sha256.LENGTH) {
      throw new IllegalArgumentException("session id must be 32 bytes");
    }
  }

  /** The HKDF info bytes: label, session id, min(id), max(id). */
  byte[] info() {
    byte[] label = purpose.label.getBytes(StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(label.length + 1 + sessionId.length + 8)
        .put(label)
        .put((byte) 0)
        .put(sessionId)
        .putInt(Math.min(clientA, clientB))
        .putInt(Math.max(clientA, clientB))
        .array();
  }
}
