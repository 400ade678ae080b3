package io.interestfl.secagg.protocol;

import io.interestfl.secagg.crypto.AesCtrMaskGenerator;
import io.interestfl.secagg.crypto.KeyAgreement;
import io.interestfl.secagg.crypto.KeyContext;
import io.interestfl.secagg.crypto.KeyContext.Purpose;
import io.interestfl.secagg.crypto.Secret;
import io.interestfl.secagg.crypto.ShamirSharing;
import io.interestfl.secagg.crypto.ShamirSharing.Share;
import io.interestfl.secagg.crypto.X25519KeyAgreement;
import io.interestfl.secagg.masking.MaskTerm;
import io.interestfl.secagg.masking.ParallelMasking;
import io.interestfl.secagg.message.AdvertiseKeys;
import io.interestfl.secagg.message.UnmaskRequest;
import io.interestfl.secagg.message.UnmaskRequest.SurvivorSignature;
import io.interestfl.secagg.message.UnmaskResponse;
import io.interestfl.secagg.message.UnmaskResponse.RevealedShare;
import io.interestfl.secagg.message.UnmaskResponse.SecretKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The server's phase 4, Unmasking (Bonawitz et al. 2017, round 4; in SecAgg+, Bell et al. 2020,
 * only the pairwise masks between a dropped client and its surviving neighbours remain to remove).
 *
 * <ul>
 *   <li><b>Sends</b> each client u of U4 its own {@link UnmaskRequest}{@code (roundId, sid, u,
 *       alive = U3, dropped = U2 \ U3, consistency signatures of u's holders)}.
 *   <li><b>Receives</b> one {@link UnmaskResponse}{@code (roundId, sid, u, shares)} per client of U4.
 *   <li><b>Checks</b> the session id, that u was asked and answers only once, and that it revealed
 *       at most one share per owner v, only of itself or a neighbour, and exactly the kind the
 *       server needs: the self-mask seed share b_v for v in U3, the masking-key share s_v^SK for v
 *       in U2 \ U3, nothing else. The server never accepts both shares for one owner.
 *   <li><b>Finishes</b> ({@link #finish}): reconstructs b_u of every survivor and s_v^SK of every
 *       dropped client with a surviving neighbour (t shares each; the reconstructed s_v^SK must
 *       match the advertised s_v^PK), all before touching the accumulator, so an abort reveals
 *       nothing; then subtracts PRG(b_u), undoes ±PRG(s_uv) for each (dropped v, surviving
 *       neighbour u) pair, and reduces modulo 2^b.
 * </ul>
 */
final class ServerUnmaskingPhase {
  private final Session session;
  private final byte[] sessionId;
  private final Map<Integer, AdvertiseKeys> advertised;
  private final Set<Integer> u3;
  private final int[] survivors;
  private final int[] droppedAfterSharing;
  private final Map<Integer, byte[]> signatures;
  private final int[] accumulator;
  private final Map<Integer, UnmaskResponse> responses = new TreeMap<>();
  private SecAggServer.UnmaskingStats stats;

  /**
   * @param advertised U1's keys (the masking public keys of dropped clients and survivors)
   * @param check the closed consistency check: U3, U2 \ U3 and the signatures of U4
   * @param accumulator Σ y_u over U3 modulo 2^32; {@link #finish} turns it into the sum
   */
  ServerUnmaskingPhase(Session session, byte[] sessionId, Map<Integer, AdvertiseKeys> advertised,
      ServerConsistencyCheckPhase check, int[] accumulator) {
    this.session = session;
    this.sessionId = sessionId;
    this.advertised = advertised;
    this.u3 = check.u3();
    this.survivors = check.survivors();
    this.droppedAfterSharing = check.droppedAfterSharing();
    this.signatures = check.signatures();
    this.accumulator = accumulator;
  }

  /** The phase-4 messages, one per client of U4, ascending by id. */
  Map<Integer, UnmaskRequest> requests() {
    Map<Integer, UnmaskRequest> out = new LinkedHashMap<>();
    for (int u : signatures.keySet()) {
      List<SurvivorSignature> sigs = new ArrayList<>();
      for (int v : session.holders(u)) {
        byte[] sig = signatures.get(v);
        if (sig != null) {
          sigs.add(new SurvivorSignature(v, sig));
        }
      }
      out.put(u, new UnmaskRequest(session.start.roundId(), sessionId, u, survivors, droppedAfterSharing, sigs));
    }
    return out;
  }

  /** Accepts one client's revealed shares; a rejected message changes nothing. */
  void accept(UnmaskResponse r) {
    int u = r.clientId();
    Session.requireSessionId(r.sessionId(), sessionId);
    Session.requireNewSender(u, signatures.containsKey(u), "was not asked to unmask",
        responses.containsKey(u), "already answered");
    Set<Integer> owners = new HashSet<>();
    for (RevealedShare s : r.shares()) {
      int v = s.owner();
      if (!owners.add(v)) {
        throw new InvalidMessageException("client " + u + " revealed two shares of client " + v);
      }
      if (v != u && !session.graph.adjacent(u, v)) {
        throw new InvalidMessageException("client " + u + " revealed a share of non-neighbour " + v);
      }
      SecretKind expected = u3.contains(v) ? SecretKind.SELF_MASK_SEED
          : Arrays.binarySearch(droppedAfterSharing, v) >= 0 ? SecretKind.MASKING_KEY : null;
      if (expected != s.kind()) {
        throw new InvalidMessageException("client " + u + " revealed " + s.kind() + " of client " + v
            + ", expected " + expected);
      }
    }
    responses.put(u, r);
  }

  /** Timings and sizes of {@link #finish}, or null before it returned. */
  SecAggServer.UnmaskingStats stats() {
    return stats;
  }

  /**
   * Reconstructs every needed secret, then removes all masks from the accumulator on {@code pool}.
   *
   * @return the sum modulo 2^b of the inputs of U3 (the accumulator itself)
   * @throws UnrecoverableSecretException a needed secret has fewer than t valid shares (no mask
   *     was removed)
   */
  int[] finish(ExecutorService pool) {
    long t0 = System.nanoTime();
    Map<Integer, List<Share>> selfShares = new HashMap<>();
    Map<Integer, List<Share>> keyShares = new HashMap<>();
    for (UnmaskResponse r : responses.values()) {
      for (RevealedShare s : r.shares()) {
        Share share;
        try {
          share = Share.decode(r.clientId(), s.share());
        } catch (IllegalArgumentException e) {
          continue; // not a field element: treat as a missing share
        }
        (s.kind() == SecretKind.SELF_MASK_SEED ? selfShares : keyShares)
            .computeIfAbsent(s.owner(), k -> new ArrayList<>()).add(share);
      }
    }
    // Which dropped clients' masks must be removed: those with a surviving neighbour.
    Map<Integer, int[]> droppedNeighbours = new TreeMap<>();
    for (int v : droppedAfterSharing) {
      int[] alive = Arrays.stream(session.graph.neighbours(v)).filter(u3::contains).toArray();
      if (alive.length > 0) {
        droppedNeighbours.put(v, alive);
      }
    }
    // Reconstruct everything (in parallel) before touching the accumulator: an abort reveals nothing.
    List<Future<Secret>> selfSeeds = new ArrayList<>(survivors.length);
    for (int u : survivors) {
      List<Share> shares = selfShares.get(u);
      selfSeeds.add(pool.submit(() -> reconstruct(u, SecretKind.SELF_MASK_SEED, shares)));
    }
    Map<Integer, Future<Secret>> keyFutures = new TreeMap<>();
    for (int v : droppedNeighbours.keySet()) {
      List<Share> shares = keyShares.get(v);
      keyFutures.put(v, pool.submit(() -> {
        Secret sk = reconstruct(v, SecretKind.MASKING_KEY, shares);
        KeyAgreement ka = X25519KeyAgreement.fromPrivateKey(sk);
        if (!Arrays.equals(ka.publicKey(), advertised.get(v).maskingKey())) {
          throw new UnrecoverableSecretException(v, SecretKind.MASKING_KEY,
              "reconstructed key does not match the advertised public key (corrupted shares)");
        }
        return sk;
      }));
    }
    ParallelMasking.await(selfSeeds);
    ParallelMasking.await(new ArrayList<>(keyFutures.values()));
    List<MaskTerm> terms = new ArrayList<>();
    for (Future<Secret> f : selfSeeds) {
      terms.add(new MaskTerm(done(f), true));
    }
    Map<Integer, Secret> maskingKeys = new TreeMap<>();
    keyFutures.forEach((v, f) -> maskingKeys.put(v, done(f)));
    int selfTerms = terms.size();
    terms.addAll(pairwiseTerms(droppedNeighbours, maskingKeys, pool));
    long t1 = System.nanoTime();
    ParallelMasking.apply(new AesCtrMaskGenerator(), terms, accumulator, pool);
    session.reduceModuloB(accumulator);
    long t2 = System.nanoTime();
    stats = new SecAggServer.UnmaskingStats(selfTerms, terms.size() - selfTerms, t1 - t0, t2 - t1);
    return accumulator;
  }

  /** The pairwise seeds s_uv of dropped v with surviving neighbours u, derived in parallel. */
  private List<MaskTerm> pairwiseTerms(
      Map<Integer, int[]> droppedNeighbours, Map<Integer, Secret> maskingKeys, ExecutorService pool) {
    List<Future<List<MaskTerm>>> futures = new ArrayList<>();
    for (Map.Entry<Integer, int[]> e : droppedNeighbours.entrySet()) {
      int v = e.getKey();
      KeyAgreement ka = X25519KeyAgreement.fromPrivateKey(maskingKeys.get(v));
      futures.add(pool.submit(() -> {
        List<MaskTerm> out = new ArrayList<>(e.getValue().length);
        for (int u : e.getValue()) {
          Secret s = ka.agree(advertised.get(u).maskingKey(), new KeyContext(Purpose.PAIRWISE_MASK, sessionId, v, u));
          // u added +PRG(s_uv) if v > u and -PRG(s_uv) if v < u; undo it.
          out.add(new MaskTerm(s, v > u));
        }
        return out;
      }));
    }
    ParallelMasking.await(futures);
    List<MaskTerm> terms = new ArrayList<>();
    for (Future<List<MaskTerm>> f : futures) {
      terms.addAll(done(f));
    }
    return terms;
  }

  private static <T> T done(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException(e); // unreachable: awaited before
    }
  }

  /** t shares of {@code owner}'s secret, lowest holder ids first, or the round cannot finish. */
  private Secret reconstruct(int owner, SecretKind kind, List<Share> shares) {
    int threshold = session.parameters.threshold();
    int have = shares == null ? 0 : shares.size();
    if (have < threshold) {
      throw new UnrecoverableSecretException(owner, kind,
          "only " + have + " of the " + threshold + " needed shares were revealed");
    }
    List<Share> use = new ArrayList<>(shares);
    use.sort(Comparator.comparingInt(Share::x));
    try {
      return ShamirSharing.reconstruct(use.subList(0, threshold));
    } catch (IllegalArgumentException e) {
      throw new UnrecoverableSecretException(owner, kind, "inconsistent shares: " + e.getMessage());
    }
  }
}
