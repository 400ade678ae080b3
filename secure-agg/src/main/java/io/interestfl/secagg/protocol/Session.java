package io.interestfl.secagg.protocol;

import io.interestfl.secagg.crypto.Ed25519Identity;
import io.interestfl.secagg.crypto.SignatureVerifier;
import io.interestfl.secagg.graph.HararyGraph;
import io.interestfl.secagg.message.RoundStart;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

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

  static Map<Integer, SignatureVerifier> registry(Map<Integer, byte[]> identityKeys) {
    Map<Integer, SignatureVerifier> out = new HashMap<>();
    identityKeys.forEach((id, pk) -> out.put(id, Ed25519Identity.verifier(pk)));
    return Map.copyOf(out);
  }

  static void requireModelHash(byte[] modelHash) {
    if (modelHash == null || modelHash.length != 32) {
      throw new IllegalArgumentException("modelHash must be 32 bytes (SHA-256 of the global model)");
    }
  }
}
