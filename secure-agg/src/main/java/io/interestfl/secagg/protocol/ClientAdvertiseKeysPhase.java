package io.interestfl.secagg.protocol;

import io.interestfl.secagg.crypto.KeyAgreement;
import io.interestfl.secagg.crypto.X25519KeyAgreement;
import io.interestfl.secagg.message.AdvertiseKeys;
import io.interestfl.secagg.message.RoundStart;

/**
 * A client's phase 0, AdvertiseKeys (Bonawitz et al. 2017, round 0; Bell et al. 2020 for the
 * SecAgg+ graph).
 *
 * <ul>
 *   <li><b>Receives</b> {@link RoundStart}{@code (roundId, cohort, k, t, b, m, graphSeed)} and the
 *       SHA-256 of the global model as this client received it.
 *   <li><b>Checks</b> the model hash is 32 bytes, the round configuration is valid (it builds the
 *       parameters and the Harary graph H(k, n) from the seed), and this client is in the cohort.
 *   <li><b>Sends</b> {@link AdvertiseKeys}{@code (roundId, u, c_u^PK, s_u^PK, σ_u)}: two fresh X25519
 *       key pairs (c_u for share encryption, s_u for masking), signed with the identity key over
 *       the RoundStart digest, the model hash, u and both public keys.
 *   <li><b>Keeps</b> the session (parameters, graph), the model hash, both key pairs, its own
 *       advertisement (to check the directory against) and its neighbours.
 * </ul>
 */
final class ClientAdvertiseKeysPhase {
  /** Parameters, graph and RoundStart digest of the round. */
  final Session session;
  /** SHA-256 of the global model as this client received it. */
  final byte[] modelHash;
  /** What this client sent (the directory must repeat it byte for byte). */
  final AdvertiseKeys advertisement;
  /** This client's neighbours in the round's graph. */
  final int[] neighbours;
  private KeyAgreement encryptionKey;
  private KeyAgreement maskingKey;

  /** Runs phase 0; throws (and keeps nothing) on any failed check. */
  ClientAdvertiseKeysPhase(ClientContext me, RoundStart start, byte[] modelHash) {
    Session.requireModelHash(modelHash);
    Session s;
    try {
      s = new Session(start);
    } catch (IllegalArgumentException e) {
      throw new InvalidMessageException("invalid round configuration: " + e.getMessage(), e);
    }
    if (!s.graph.contains(me.id())) {
      throw new InvalidMessageException("client " + me.id() + " is not in the cohort of round " + start.roundId());
    }
    KeyAgreement c = X25519KeyAgreement.generate(me.random());
    KeyAgreement sk = X25519KeyAgreement.generate(me.random());
    byte[] sig = me.identity().sign(
        Transcript.advertisement(s.startDigest, modelHash, me.id(), c.publicKey(), sk.publicKey()));
    this.advertisement = new AdvertiseKeys(start.roundId(), me.id(), c.publicKey(), sk.publicKey(), sig);
    this.session = s;
    this.modelHash = modelHash.clone();
    this.encryptionKey = c;
    this.maskingKey = sk;
    this.neighbours = s.graph.neighbours(me.id());
  }

  /** The phase-0 reply. */
  AdvertiseKeys reply() {
    return advertisement;
  }

  /** c_u: agrees the AES keys of the encrypted shares. */
  KeyAgreement encryptionKey() {
    return encryptionKey;
  }

  /** s_u: agrees the pairwise mask seeds; its private key is Shamir-shared. */
  KeyAgreement maskingKey() {
    return maskingKey;
  }

  /** Drops both key pairs. */
  void forget() {
    encryptionKey = null;
    maskingKey = null;
  }
}
