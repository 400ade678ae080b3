package io.interestfl.secagg.protocol;

import io.interestfl.secagg.crypto.ShamirSharing.Share;
import io.interestfl.secagg.message.UnmaskRequest;
import io.interestfl.secagg.message.UnmaskRequest.SurvivorSignature;
import io.interestfl.secagg.message.UnmaskResponse;
import io.interestfl.secagg.message.UnmaskResponse.RevealedShare;
import io.interestfl.secagg.message.UnmaskResponse.SecretKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A client's phase 4, Unmasking (Bonawitz et al. 2017, round 4, with the consistency check of the
 * malicious-server protocol; Bell et al. 2020 for the neighbour-only shares). This is where the
 * client decides what to reveal, so every check runs before any share leaves it.
 *
 * <ul>
 *   <li><b>Receives</b> its {@link UnmaskRequest}{@code (roundId, sid, u, alive, dropped,
 *       signatures)}.
 *   <li><b>Checks</b> the request is addressed to u; <em>never both shares for one peer</em>: no
 *       client is both alive and dropped ({@link BothSharesRequestedException}); {@code alive} is
 *       exactly the U3 it signed; every dropped neighbour shared keys with it; u itself is not
 *       dropped; every neighbour whose shares it holds is alive or dropped; and at least t of its
 *       holders (itself included) signed that same U3 with valid signatures from listed survivors.
 *   <li><b>Sends</b> {@link UnmaskResponse}{@code (roundId, sid, u, shares)}: its own share of b_u,
 *       and for each neighbour v whose shares it holds exactly one: of b_v if v is alive, of s_v^SK
 *       if v dropped.
 *   <li><b>Keeps</b> nothing: the caller forgets every secret afterwards.
 * </ul>
 */
final class ClientUnmaskingPhase {
  private ClientUnmaskingPhase() {}

  /**
   * Runs phase 4 with what phases 0 to 3 kept.
   *
   * @return the shares to reveal, built only after every check passed
   */
  static UnmaskResponse respond(ClientContext me, Session session, ClientShareKeysPhase shared,
      ClientMaskedInputPhase masked, ClientConsistencyCheckPhase signed, UnmaskRequest req) {
    int u = me.id();
    Map<Integer, Share[]> heldShares = masked.heldShares;
    if (req.recipient() != u) {
      throw new InvalidMessageException("unmask request addressed to " + req.recipient());
    }
    Set<Integer> alive = new HashSet<>();
    for (int v : req.alive()) {
      alive.add(v);
    }
    for (int v : req.dropped()) {
      if (alive.contains(v)) {
        throw new BothSharesRequestedException(
            "client " + v + " is listed both as alive and as dropped: refusing to reveal both of its secrets");
      }
    }
    if (!Arrays.equals(req.alive(), signed.signedSurvivors)) {
      throw new InconsistentSurvivorsException("alive list differs from the survivor list this client signed");
    }
    Set<Integer> dropped = new HashSet<>();
    for (int v : req.dropped()) {
      dropped.add(v);
      if (session.graph.adjacent(u, v) && !heldShares.containsKey(v)) {
        throw new InconsistentSurvivorsException("dropped neighbour " + v + " never shared keys with this client");
      }
    }
    if (dropped.contains(u)) {
      throw new InconsistentSurvivorsException("this client is listed as dropped");
    }
    for (int v : heldShares.keySet()) {
      if (!alive.contains(v) && !dropped.contains(v)) {
        throw new InconsistentSurvivorsException("neighbour " + v + " is neither alive nor dropped");
      }
    }
    byte[] signedMessage = Transcript.survivors(req.roundId(), shared.sessionId, signed.signedSurvivors);
    Set<Integer> confirmed = new HashSet<>();
    for (SurvivorSignature s : req.signatures()) {
      int v = s.clientId();
      if (v != u && !session.graph.adjacent(u, v)) {
        continue; // not ours to check; the server sends only neighbours' signatures
      }
      if (!alive.contains(v)) {
        throw new InconsistentSurvivorsException("signature of " + v + " who is not in the survivor list");
      }
      if (!me.registry().verify(v, signedMessage, s.signature())) {
        throw new InvalidSignatureException(v, "survivor list");
      }
      confirmed.add(v);
    }
    int t = session.parameters.threshold();
    if (confirmed.size() < t) {
      throw new InconsistentSurvivorsException("only " + confirmed.size()
          + " neighbours confirmed the survivor list; threshold " + t);
    }
    List<RevealedShare> out = new ArrayList<>(heldShares.size() + 1);
    out.add(new RevealedShare(u, SecretKind.SELF_MASK_SEED, shared.ownSelfMaskShare.encodedY()));
    for (Map.Entry<Integer, Share[]> e : heldShares.entrySet()) {
      boolean isAlive = alive.contains(e.getKey());
      out.add(new RevealedShare(e.getKey(),
          isAlive ? SecretKind.SELF_MASK_SEED : SecretKind.MASKING_KEY,
          (isAlive ? e.getValue()[0] : e.getValue()[1]).encodedY()));
    }
    return new UnmaskResponse(req.roundId(), shared.sessionId, u, out);
  }
}
