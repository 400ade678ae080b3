package io.interestfl.secagg.protocol;

import io.interestfl.secagg.graph.HararyGraph;
import io.interestfl.secagg.message.RoundStart;
import java.util.Arrays;

/** What both sides derive from a RoundStart: parameters, graph, and the identity registry. */
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

  static void requireModelHash(byte[] modelHash) {
    if (modelHash == null || modelHash.length != 32) {
      throw new IllegalArgumentException("modelHash must be 32 bytes (SHA-256 of the global model)");
    }
  }
}
