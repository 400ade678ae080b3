package io.interestfl.secagg.protocol;

import io.interestfl.secagg.message.ConsistencySignature;
import io.interestfl.secagg.message.SurvivorList;
import java.util.Arrays;

/**
 * A client's phase 3, ConsistencyCheck (Bonawitz et al. 2017, round 3 of the malicious-server
 * protocol): the client commits to one view of who survived, so the server cannot later show it a
 * different one.
 *
 * <ul>
 *   <li><b>Receives</b> {@link SurvivorList}{@code (roundId, sid, U3)}.
 *   <li><b>Checks</b> u is listed, |U3| ≥ t, every listed client advertised keys, and every listed
 *       neighbour is one whose shares u holds (U3 ⊆ U2 as u saw it).
 *   <li><b>Sends</b> {@link ConsistencySignature}{@code (roundId, sid, u, σ'_u)}, σ'_u = its identity
 *       signature over (round id, sid, U3).
 *   <li><b>Keeps</b> the signed U3: phase 4 reveals only against exactly this list.
 * </ul>
 */
final class ClientConsistencyCheckPhase {
  /** The U3 this client signed. */
  final int[] signedSurvivors;
  private final ConsistencySignature reply;

  /** Runs phase 3 with what phases 1 and 2 kept; throws on any failed check. */
  ClientConsistencyCheckPhase(ClientContext me, Session session, ClientShareKeysPhase shared,
      ClientMaskedInputPhase masked, SurvivorList list) {
    int u = me.id();
    int[] u3 = list.survivors();
    if (Arrays.binarySearch(u3, u) < 0) {
      throw new InconsistentSurvivorsException("survivor list omits this client " + u);
    }
    int t = session.parameters.threshold();
    if (u3.length < t) {
      throw new TooFewSurvivorsException(u3.length + " survivors is below the threshold " + t);
    }
    for (int v : u3) {
      if (!shared.directory.containsKey(v)) {
        throw new InconsistentSurvivorsException("survivor " + v + " never advertised keys");
      }
      if (v != u && session.graph.adjacent(u, v) && !masked.heldShares.containsKey(v)) {
        throw new InconsistentSurvivorsException("survivor " + v + " is a neighbour that never shared keys");
      }
    }
    byte[] sig = me.identity().sign(Transcript.survivors(list.roundId(), shared.sessionId, u3));
    this.signedSurvivors = u3.clone();
    this.reply = new ConsistencySignature(list.roundId(), shared.sessionId, u, sig);
  }

  /** The phase-3 reply. */
  ConsistencySignature reply() {
    return reply;
  }
}
