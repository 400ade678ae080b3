package io.interestfl.secagg.protocol;

import io.interestfl.secagg.graph.HararyGraph;
import io.interestfl.secagg.message.RoundStart;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * What both sides derive from a RoundStart (parameters, graph, digest), and the checks and word
 * arithmetic that the server's and the clients' phases share.
 */
final class Session {
  final RoundStart start;
  final SecAggParameters parameters;
  final HararyGraph graph;
  final byte[] startDigest;

  Session(RoundStart start) {
    this.start = start;
    this.parameters = new SecAggParameters(start.cohort().length, start.degree(), start.threshold());
    this.graph = new HararyGraph(start.cohort(), start.degree(), start.graphSeed());
    this.startDigest = start.digest();
  }

  /** Neighbours plus the client itself: the holders of its shares. */
  int[] holders(int clientId) {
    int[] nb = graph.neighbours(clientId);
    int[] h = Arrays.copyOf(nb, nb.length + 1);
    h[nb.length] = clientId;
    Arrays.sort(h);
    return h;
  }

  /**
   * Reduces words in place modulo 2^b of this round: masks are added modulo 2^32, and 2^b divides
   * 2^32, so this is exact.
   */
  void reduceModuloB(int[] words) {
    int bw = start.bitWidth();
    if (bw < 32) {
      int mask = (1 << bw) - 1;
      for (int i = 0; i < words.length; i++) {
        words[i] &= mask;
      }
    }
  }

  static void requireModelHash(byte[] modelHash) {
    if (modelHash == null || modelHash.length != 32) {
      throw new IllegalArgumentException("modelHash must be 32 bytes (SHA-256 of the global model)");
    }
  }

  /**
   * Every message after phase 0 carries the session id; one of another session is a replay or a
   * split view.
   *
   * @throws WrongSessionException {@code sessionId} is not {@code expected}
   */
  static void requireSessionId(byte[] sessionId, byte[] expected) {
    if (!MessageDigest.isEqual(sessionId, expected)) {
      throw new WrongSessionException("message of another session (replay or split view)");
    }
  }

  /**
   * The sender check every server phase makes before it reads a message's content: the phase
   * expects this sender, and has not heard from it yet. Either failure leaves the phase unchanged.
   *
   * @throws InvalidMessageException not expected: "client {id} {unexpected}"
   * @throws ProtocolStateException already received: "client {id} {again}"
   */
  static void requireNewSender(int clientId, boolean expected, String unexpected, boolean received, String again) {
    if (!expected) {
      throw new InvalidMessageException("client " + clientId + " " + unexpected);
    }
    if (received) {
      throw new ProtocolStateException("client " + clientId + " " + again);
    }
  }
}
