package io.interestfl.secagg.protocol;

import io.interestfl.secagg.message.ConsistencySignature;
import io.interestfl.secagg.message.SurvivorList;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The server's phase 3, ConsistencyCheck (Bonawitz et al. 2017, round 3, the malicious-server
 * variant): every survivor signs the survivor list, so a server cannot tell two holders of one
 * client different stories about who survived.
 *
 * <ul>
 *   <li><b>Sends</b> {@link SurvivorList}{@code (roundId, sid, U3)}, broadcast to U3, and fixes the
 *       dropped set U2 \ U3: the clients whose masking keys must be recovered.
 *   <li><b>Receives</b> one {@link ConsistencySignature}{@code (roundId, sid, u, σ'_u)} per client
 *       of U3.
 *   <li><b>Checks</b> the session id, that u is in U3 and signs only once, and that σ'_u verifies
 *       under u's identity key over the survivor transcript (round id, sid, U3).
 *   <li><b>Hands on</b> U4 = the signers, with their signatures, U3 and U2 \ U3 to {@link
 *       ServerUnmaskingPhase}.
 * </ul>
 */
final class ServerConsistencyCheckPhase {
  private final Session session;
  private final IdentityRegistry registry;
  private final byte[] sessionId;
  private final Set<Integer> u3;
  private final int[] survivors;
  private final int[] droppedAfterSharing;
  private final byte[] survivorTranscript;
  private final Map<Integer, byte[]> signatures = new TreeMap<>();

  /** Fixes U3 ({@code u3}) and U2 \ U3 ({@code u2} ascending). */
  ServerConsistencyCheckPhase(Session session, IdentityRegistry registry, byte[] sessionId, int[] u2, Set<Integer> u3) {
    this.session = session;
    this.registry = registry;
    this.sessionId = sessionId;
    this.u3 = u3;
    this.survivors = u3.stream().mapToInt(Integer::intValue).toArray();
    Set<Integer> dropped = new TreeSet<>();
    for (int v : u2) {
      if (!u3.contains(v)) {
        dropped.add(v);
      }
    }
    this.droppedAfterSharing = dropped.stream().mapToInt(Integer::intValue).toArray();
    this.survivorTranscript = Transcript.survivors(session.start.roundId(), sessionId, survivors);
  }

  /** The phase-3 broadcast. */
  SurvivorList survivorList() {
    return new SurvivorList(session.start.roundId(), sessionId, survivors);
  }

  /** Accepts one signature over the survivor list; a rejected message changes nothing. */
  void accept(ConsistencySignature c) {
    int u = c.clientId();
    Session.requireSessionId(c.sessionId(), sessionId);
    Session.requireNewSender(u, u3.contains(u), "is not a survivor", signatures.containsKey(u), "already signed");
    if (!registry.verify(u, survivorTranscript, c.signature())) {
      throw new InvalidSignatureException(u, "survivor list");
    }
    signatures.put(u, c.signature());
  }

  /** |U4| so far. */
  int received() {
    return signatures.size();
  }

  /** U3 as a set. */
  Set<Integer> u3() {
    return u3;
  }

  /** U3, ascending (not a copy). */
  int[] survivors() {
    return survivors;
  }

  /** U2 \ U3, ascending (not a copy). */
  int[] droppedAfterSharing() {
    return droppedAfterSharing;
  }

  /** U4: signer → its signature over the survivor list, ascending by id. */
  Map<Integer, byte[]> signatures() {
    return signatures;
  }
}
