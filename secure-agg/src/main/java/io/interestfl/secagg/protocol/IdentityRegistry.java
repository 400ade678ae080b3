package io.interestfl.secagg.protocol;

import io.interestfl.secagg.crypto.Ed25519Identity;
import io.interestfl.secagg.crypto.SignatureVerifier;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Client id → long-term Ed25519 public key, as known to the server and every client (distributed
 * out of band, e.g. with the client's mTLS certificate). Immutable; verifiers are built lazily and
 * cached, so one instance can be shared by many in-process clients.
 */
public final class IdentityRegistry {
  private final Map<Integer, byte[]> keys;
  private final Map<Integer, SignatureVerifier> verifiers = new ConcurrentHashMap<>();

  private IdentityRegistry(Map<Integer, byte[]> keys) {
    this.keys = keys;
  }

  /** From 32-byte Ed25519 public keys; rejects a key of the wrong length, naming the client. */
  public static IdentityRegistry of(Map<Integer, byte[]> ed25519PublicKeys) {
    Map<Integer, byte[]> copy = new HashMap<>();
    ed25519PublicKeys.forEach((id, pk) -> {
      if (pk == null || pk.length != Ed25519Identity.PUBLIC_KEY_LENGTH) {
        throw new IllegalArgumentException("identity key of client " + id + " must be 32 bytes");
      }
      copy.put(id, pk.clone());
    });
    return new IdentityRegistry(Map.copyOf(copy));
  }

  /** True iff the client has a registered identity. */
  public boolean contains(int clientId) {
    return keys.containsKey(clientId);
  }

  /** True iff {@code signature} over {@code message} verifies under the client's identity key. */
  public boolean verify(int clientId, byte[] message, byte[] signature) {
    byte[] pk = keys.get(clientId);
    if (pk == null) {
      return false;
    }
    return verifiers.computeIfAbsent(clientId, id -> Ed25519Identity.verifier(pk)).verify(message, signature);
  }
}
