package io.interestfl.secagg.protocol;

import io.interestfl.secagg.message.AdvertiseKeys;
import io.interestfl.secagg.message.EncryptedShare;
import io.interestfl.secagg.message.KeyDirectory;
import io.interestfl.secagg.message.ShareKeys;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The server's phase 1, ShareKeys (Bonawitz et al. 2017, round 1; in SecAgg+, Bell et al. 2020,
 * each client shares only with its graph neighbours).
 *
 * <ul>
 *   <li><b>Sends</b> {@link KeyDirectory}{@code (roundId, [AdvertiseKeys of U1])}, broadcast to U1,
 *       and fixes the session id sid = SHA-256(RoundStart digest, model hash, every advertised key)
 *       that every later message must carry.
 *   <li><b>Receives</b> one {@link ShareKeys}{@code (roundId, sid, u, [EncryptedShare(u, v, ·)])}
 *       per client of U1: u's Shamir shares of b_u and s_u^SK, sealed for each neighbour v.
 *   <li><b>Checks</b> the session id, that u advertised keys and sends its shares only once, and
 *       that it sealed exactly one share for each neighbour that advertised (no other recipient,
 *       none twice, none missing).
 *   <li><b>Hands on</b> the accepted messages of U2 to {@link ServerMaskedInputPhase}, which sorts
 *       the shares into one bundle per recipient.
 * </ul>
 */
final class ServerShareKeysPhase {
  private final Session session;
  private final Map<Integer, AdvertiseKeys> advertised;
  private final KeyDirectory directory;
  private final byte[] sessionId;
  private final Map<Integer, ShareKeys> shareKeys = new TreeMap<>();

  /** Builds the directory of U1 ({@code advertised}, ascending by id) and the session id. */
  ServerShareKeysPhase(Session session, byte[] modelHash, Map<Integer, AdvertiseKeys> advertised) {
    this.session = session;
    this.advertised = advertised;
    this.directory = new KeyDirectory(session.start.roundId(), new ArrayList<>(advertised.values()));
    this.sessionId = Transcript.sessionId(session.start, modelHash, directory);
  }

  /** The phase-1 broadcast. */
  KeyDirectory directory() {
    return directory;
  }

  /** The session id (not a copy). */
  byte[] sessionId() {
    return sessionId;
  }

  /** Accepts one client's sealed shares; a rejected message changes nothing. */
  void accept(ShareKeys s) {
    int u = s.clientId();
    Session.requireSessionId(s.sessionId(), sessionId);
    Session.requireNewSender(u, advertised.containsKey(u), "sent shares without advertised keys",
        shareKeys.containsKey(u), "already sent shares");
    Set<Integer> expected = new HashSet<>();
    for (int v : session.graph.neighbours(u)) {
      if (advertised.containsKey(v)) {
        expected.add(v);
      }
    }
    Set<Integer> seen = new HashSet<>();
    for (EncryptedShare e : s.shares()) {
      if (!expected.contains(e.to()) || !seen.add(e.to())) {
        throw new InvalidMessageException("client " + u + " sent a share to " + e.to()
            + " who is not an advertised neighbour, or twice");
      }
    }
    if (!seen.equals(expected)) {
      throw new InvalidMessageException("client " + u + " sent " + seen.size() + " shares, expected "
          + expected.size() + " (one per advertised neighbour)");
    }
    shareKeys.put(u, s);
  }

  /** |U2| so far. */
  int received() {
    return shareKeys.size();
  }

  /** U2: client id → its accepted shares, ascending by id. */
  Map<Integer, ShareKeys> shareKeys() {
    return shareKeys;
  }
}
