package io.interestfl.secagg.protocol;

import io.interestfl.secagg.message.AdvertiseKeys;
import io.interestfl.secagg.message.RoundStart;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The server's phase 0, AdvertiseKeys (Bonawitz et al. 2017, round 0; Bell et al. 2020 add the
 * graph seed of the SecAgg+ neighbour graph).
 *
 * <ul>
 *   <li><b>Sends</b> {@link RoundStart}{@code (roundId, cohort, k, t, b, m, graphSeed)}, built by
 *       {@link #roundStart} with a fresh 32-byte graph seed and broadcast with the global model.
 *   <li><b>Receives</b> one {@link AdvertiseKeys}{@code (roundId, u, c_u^PK, s_u^PK, σ_u)} per
 *       cohort member.
 *   <li><b>Checks</b> that u is in the cohort and advertises only once, and that σ_u verifies under
 *       u's registered identity key over the RoundStart digest, <em>the server's</em> model hash, u
 *       and both public keys: a client that received another global model is rejected here.
 *   <li><b>Hands on</b> U1, the accepted advertisements by ascending id, to {@link
 *       ServerShareKeysPhase}, which turns them into the key directory and the session id.
 * </ul>
 */
final class ServerAdvertiseKeysPhase {
  private final Session session;
  private final byte[] modelHash;
  private final IdentityRegistry registry;
  private final Map<Integer, AdvertiseKeys> advertised = new TreeMap<>();

  ServerAdvertiseKeysPhase(Session session, byte[] modelHash, IdentityRegistry registry) {
    this.session = session;
    this.modelHash = modelHash;
    this.registry = registry;
  }

  /**
   * The phase-0 broadcast for a cohort (sorted here) with a graph seed drawn from {@code random}.
   *
   * @throws IllegalArgumentException the cohort does not have the size the parameters are for
   */
  static RoundStart roundStart(long roundId, int[] cohort, SecAggParameters parameters, int vectorLength,
      int bitWidth, SecureRandom random) {
    int[] sorted = cohort.clone();
    Arrays.sort(sorted);
    if (sorted.length != parameters.cohortSize()) {
      throw new IllegalArgumentException(
          "cohort has " + sorted.length + " clients but parameters are for " + parameters.cohortSize());
    }
    byte[] seed = new byte[RoundStart.SEED_LENGTH];
    random.nextBytes(seed);
    return new RoundStart(roundId, sorted, parameters.degree(), parameters.threshold(), bitWidth, vectorLength, seed);
  }

  /** Accepts one advertisement; a rejected one changes nothing. */
  void accept(AdvertiseKeys a) {
    int u = a.clientId();
    Session.requireNewSender(u, session.graph.contains(u), "is not in the cohort",
        advertised.containsKey(u), "already advertised keys");
    if (!registry.verify(u, Transcript.advertisement(session.startDigest, modelHash, a), a.signature())) {
      throw new InvalidSignatureException(u, "advertised keys (wrong round, model or key)");
    }
    advertised.put(u, a);
  }

  /** |U1| so far. */
  int received() {
    return advertised.size();
  }

  /** U1: client id → its accepted advertisement, ascending by id. */
  Map<Integer, AdvertiseKeys> advertised() {
    return advertised;
  }
}
