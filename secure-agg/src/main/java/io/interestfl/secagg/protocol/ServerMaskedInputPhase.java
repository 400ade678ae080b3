package io.interestfl.secagg.protocol;

import io.interestfl.secagg.message.EncryptedShare;
import io.interestfl.secagg.message.MaskedInput;
import io.interestfl.secagg.message.ShareBundle;
import io.interestfl.secagg.message.ShareKeys;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The server's phase 2, MaskedInputCollection (Bonawitz et al. 2017, round 2).
 *
 * <ul>
 *   <li><b>Sends</b> each client v of U2 its own {@link ShareBundle}{@code (roundId, sid, v, U2,
 *       shares addressed to v)}; shares addressed to clients outside U2 are not forwarded.
 *   <li><b>Receives</b> one {@link MaskedInput}{@code (roundId, sid, u, b, y_u)} per client of U2.
 *   <li><b>Checks</b> the session id, that u is in U2 and sends only once, and that y_u has m words
 *       of b bits.
 *   <li><b>Keeps</b> no input: y_u is added to the single accumulator (int[m], modulo 2^32) at once.
 *       U3 = the clients whose masked input is in the accumulator; with U2 it goes to {@link
 *       ServerConsistencyCheckPhase}, and the accumulator to {@link ServerUnmaskingPhase}.
 * </ul>
 */
final class ServerMaskedInputPhase {
  private final Session session;
  private final byte[] sessionId;
  private final int[] u2;
  private final Map<Integer, ShareBundle> bundles;
  private final Set<Integer> u3 = new TreeSet<>();
  private final int[] accumulator;

  /** Sorts the shares of U2 ({@code shareKeys}, ascending by id) into one bundle per recipient. */
  ServerMaskedInputPhase(Session session, byte[] sessionId, Map<Integer, ShareKeys> shareKeys) {
    this.session = session;
    this.sessionId = sessionId;
    this.u2 = shareKeys.keySet().stream().mapToInt(Integer::intValue).toArray();
    Map<Integer, List<EncryptedShare>> inbox = new HashMap<>();
    for (ShareKeys s : shareKeys.values()) {
      for (EncryptedShare e : s.shares()) {
        if (shareKeys.containsKey(e.to())) {
          inbox.computeIfAbsent(e.to(), k -> new ArrayList<>()).add(e);
        }
      }
    }
    Map<Integer, ShareBundle> out = new LinkedHashMap<>();
    for (int v : u2) {
      out.put(v, new ShareBundle(session.start.roundId(), sessionId, v, u2, inbox.getOrDefault(v, List.of())));
    }
    this.bundles = out;
    this.accumulator = new int[session.start.vectorLength()];
  }

  /** The phase-2 messages, one per client of U2, ascending by id. */
  Map<Integer, ShareBundle> bundles() {
    return bundles;
  }

  /** Adds one masked input to the accumulator; a rejected message changes nothing. */
  void accept(MaskedInput m) {
    int u = m.clientId();
    Session.requireSessionId(m.sessionId(), sessionId);
    Session.requireNewSender(u, Arrays.binarySearch(u2, u) >= 0, "sent a masked input without shared keys",
        u3.contains(u), "already sent its masked input");
    int b = session.start.bitWidth();
    int length = session.start.vectorLength();
    if (m.bitWidth() != b || m.vector().length != length) {
      throw new InvalidMessageException("masked input of client " + u + " has " + m.vector().length
          + " words of " + m.bitWidth() + " bits, expected " + length + " of " + b);
    }
    int[] y = m.vector();
    int[] acc = accumulator;
    for (int i = 0; i < acc.length; i++) {
      acc[i] += y[i];
    }
    u3.add(u);
  }

  /** |U3| so far. */
  int received() {
    return u3.size();
  }

  /** U2, ascending. */
  int[] u2() {
    return u2;
  }

  /** U3: the clients whose masked input is in the accumulator. */
  Set<Integer> u3() {
    return u3;
  }

  /** Σ y_u over U3 modulo 2^32 (not a copy). */
  int[] accumulator() {
    return accumulator;
  }
}
