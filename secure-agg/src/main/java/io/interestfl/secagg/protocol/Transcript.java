package io.interestfl.secagg.protocol;

import io.interestfl.secagg.crypto.Sha256;
import io.interestfl.secagg.message.AdvertiseKeys;
import io.interestfl.secagg.message.KeyDirectory;
import io.interestfl.secagg.message.RoundStart;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The exact byte strings that are signed, hashed into the session id, or used as AEAD associated
 * data. Each starts with its own domain-separation label.
 */
final class Transcript {
  private static final byte[] ADVERTISE = label("interestfl/secagg/v1/advertise-keys");
  private static final byte[] SESSION = label("interestfl/secagg/v1/session-id");
  private static final byte[] SURVIVORS = label("interestfl/secagg/v1/survivors");
  private static final byte[] SHARE_AAD = label("interestfl/secagg/v1/share-aad");

  private Transcript() {}

  private static byte[] label(String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(b.length + 1).put(b).put((byte) 0).array();
  }

  /** Signed by a client in AdvertiseKeys. */
  static byte[] advertisement(byte[] roundStartDigest, byte[] modelHash, int clientId, byte[] encKey, byte[] maskKey) {
    return ByteBuffer.allocate(ADVERTISE.length + 32 + 32 + 4 + 32 + 32)
        .put(ADVERTISE).put(roundStartDigest).put(modelHash).putInt(clientId).put(encKey).put(maskKey)
        .array();
  }

  static byte[] advertisement(byte[] roundStartDigest, byte[] modelHash, AdvertiseKeys a) {
    return advertisement(roundStartDigest, modelHash, a.clientId(), a.encryptionKey(), a.maskingKey());
  }

  /**
   * Session id = SHA-256(label, digest of RoundStart (round id, cohort, k, t, b, m, graph seed),
   * hash of the global model, every advertised (id, encryption key, masking key) in id order).
   */
  static byte[] sessionId(RoundStart start, byte[] modelHash, KeyDirectory directory) {
    List<AdvertiseKeys> e = directory.entries();
    ByteBuffer b = ByteBuffer.allocate(SESSION.length + 32 + 32 + 4 + e.size() * 68);
    b.put(SESSION).put(start.digest()).put(modelHash).putInt(e.size());
    for (AdvertiseKeys a : e) {
      b.putInt(a.clientId()).put(a.encryptionKey()).put(a.maskingKey());
    }
    return Sha256.hash(b.array());
  }

  /** Signed by a client in the consistency check. */
  static byte[] survivors(long roundId, byte[] sessionId, int[] survivors) {
    ByteBuffer b = ByteBuffer.allocate(SURVIVORS.length + 8 + 32 + 4 + 4 * survivors.length);
    b.put(SURVIVORS).putLong(roundId).put(sessionId).putInt(survivors.length);
    for (int s : survivors) {
      b.putInt(s);
    }
    return b.array();
  }

  /** AES-GCM associated data of the share sealed by {@code from} for {@code to}. */
  static byte[] shareAad(int from, int to, long roundId, byte[] sessionId) {
    return ByteBuffer.allocate(SHARE_AAD.length + 4 + 4 + 8 + 32)
        .put(SHARE_AAD).putInt(from).putInt(to).putLong(roundId).put(sessionId).array();
  }

  /** Plaintext inside an encrypted share: from, to, self-mask share, masking-key share. */
  static byte[] sharePlaintext(int from, int to, byte[] selfMaskShare, byte[] maskingKeyShare) {
    return ByteBuffer.allocate(8 + 33 + 33).putInt(from).putInt(to).put(selfMaskShare).put(maskingKeyShare)
        .array();
  }

  static final int SHARE_PLAINTEXT_LENGTH = 8 + 33 + 33;
}
