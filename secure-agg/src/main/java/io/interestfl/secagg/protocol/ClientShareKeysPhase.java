package io.interestfl.secagg.protocol;

import io.interestfl.secagg.crypto.AesGcmShareEncryptor;
import io.interestfl.secagg.crypto.KeyContext;
import io.interestfl.secagg.crypto.KeyContext.Purpose;
import io.interestfl.secagg.crypto.Secret;
import io.interestfl.secagg.crypto.ShamirSharing;
import io.interestfl.secagg.crypto.ShamirSharing.Share;
import io.interestfl.secagg.crypto.ShareEncryptor;
import io.interestfl.secagg.message.AdvertiseKeys;
import io.interestfl.secagg.message.EncryptedShare;
import io.interestfl.secagg.message.KeyDirectory;
import io.interestfl.secagg.message.ShareKeys;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A client's phase 1, ShareKeys (Bonawitz et al. 2017, round 1; in SecAgg+, Bell et al. 2020,
 * shares go to the graph neighbours only).
 *
 * <ul>
 *   <li><b>Receives</b> {@link KeyDirectory}{@code (roundId, [AdvertiseKeys of U1])}.
 *   <li><b>Checks</b> every listed client is in the cohort, no public key repeats, its own entry is
 *       byte-identical to what it sent, the signature of every <em>neighbour</em> in the directory
 *       (only neighbours' keys are used; the others still enter the session id), and that at least
 *       t − 1 neighbours advertised.
 *   <li><b>Sends</b> {@link ShareKeys}{@code (roundId, sid, u, [EncryptedShare(u, v, ·)])}: it
 *       derives the session id from the whole directory, draws the self-mask seed b_u, Shamir-shares
 *       b_u and s_u^SK t-out-of-(live neighbours + u), and seals {@code u ‖ v ‖ share_v(b_u) ‖
 *       share_v(s_u^SK)} for each live neighbour v with AES-256-GCM under the key agreed with c_v^PK.
 *   <li><b>Keeps</b> the directory, the session id, b_u, its own share of b_u, and the AES key of
 *       each neighbour pair (to open that neighbour's share in phase 2).
 * </ul>
 */
final class ClientShareKeysPhase {
  /** U1 as the directory listed it: client id → its advertisement. */
  final Map<Integer, AdvertiseKeys> directory;
  /** The session id every later message must carry. */
  final byte[] sessionId;
  /** This client's own share of b_u (revealed in phase 4). */
  final Share ownSelfMaskShare;
  private final Secret selfMaskSeed;
  /** Neighbour → AES key of the pair (derived once here, reused to open its share). */
  private final Map<Integer, Secret> pairKeys = new HashMap<>();
  private final ShareKeys reply;

  /**
   * Runs phase 1 with what phase 0 kept; throws on any failed check, destroying the pair keys it
   * had derived.
   */
  ClientShareKeysPhase(ClientContext me, ClientAdvertiseKeysPhase keys, KeyDirectory dir) {
    Session session = keys.session;
    int u = me.id();
    Map<Integer, AdvertiseKeys> byId = new HashMap<>();
    Set<ByteBuffer> publicKeys = new HashSet<>();
    for (AdvertiseKeys a : dir.entries()) {
      if (!session.graph.contains(a.clientId())) {
        throw new InvalidMessageException("directory lists client " + a.clientId() + " outside the cohort");
      }
      if (!publicKeys.add(ByteBuffer.wrap(a.encryptionKey())) || !publicKeys.add(ByteBuffer.wrap(a.maskingKey()))) {
        throw new InvalidMessageException("directory repeats a public key (client " + a.clientId() + ")");
      }
      byId.put(a.clientId(), a);
    }
    AdvertiseKeys mine = byId.get(u);
    if (mine == null) {
      throw new InvalidMessageException("directory does not contain this client " + u);
    }
    if (!Arrays.equals(mine.toBytes(), keys.advertisement.toBytes())) {
      throw new InvalidMessageException("directory altered the keys of this client " + u);
    }
    List<Integer> liveNeighbours = new ArrayList<>();
    for (int v : keys.neighbours) {
      AdvertiseKeys a = byId.get(v);
      if (a == null) {
        continue;
      }
      if (!me.registry().verify(v, Transcript.advertisement(session.startDigest, keys.modelHash, a), a.signature())) {
        throw new InvalidSignatureException(v, "advertised keys of round " + dir.roundId());
      }
      liveNeighbours.add(v);
    }
    int t = session.parameters.threshold();
    if (liveNeighbours.size() + 1 < t) {
      throw new TooFewSurvivorsException("only " + liveNeighbours.size() + " neighbours of client "
          + u + " advertised keys; threshold " + t + " needs " + (t - 1));
    }
    byte[] sid = Transcript.sessionId(session.start, keys.modelHash, dir);
    Secret b = Secret.random(me.random());
    List<Integer> holders = new ArrayList<>(liveNeighbours);
    holders.add(u);
    List<Share> bShares = ShamirSharing.split(b, t, holders, me.random());
    List<Share> skShares = ShamirSharing.split(keys.maskingKey().privateKey(), t, holders, me.random());
    List<EncryptedShare> sealed = new ArrayList<>(liveNeighbours.size());
    try {
      for (int i = 0; i < liveNeighbours.size(); i++) {
        int v = liveNeighbours.get(i);
        Secret pairKey = keys.encryptionKey()
            .agree(byId.get(v).encryptionKey(), new KeyContext(Purpose.SHARE_ENCRYPTION, sid, u, v));
        pairKeys.put(v, pairKey);
        ShareEncryptor enc = new AesGcmShareEncryptor(pairKey, me.random());
        byte[] plain = Transcript.sharePlaintext(u, v, bShares.get(i).encodedY(), skShares.get(i).encodedY());
        sealed.add(new EncryptedShare(u, v, enc.seal(plain, Transcript.shareAad(u, v, dir.roundId(), sid))));
      }
    } catch (RuntimeException e) {
      destroyPairKeys();
      throw e;
    }
    this.directory = byId;
    this.sessionId = sid;
    this.selfMaskSeed = b;
    this.ownSelfMaskShare = bShares.get(liveNeighbours.size());
    this.reply = new ShareKeys(dir.roundId(), sid, u, sealed);
  }

  /** The phase-1 reply. */
  ShareKeys reply() {
    return reply;
  }

  /** b_u. */
  Secret selfMaskSeed() {
    return selfMaskSeed;
  }

  /** The AES key shared with neighbour {@code v}, or null if v was not a live neighbour. */
  Secret pairKey(int v) {
    return pairKeys.get(v);
  }

  /** Destroys b_u and the pair keys. */
  void forget() {
    selfMaskSeed.destroy();
    destroyPairKeys();
  }

  private void destroyPairKeys() {
    pairKeys.values().forEach(Secret::destroy);
    pairKeys.clear();
  }
}
