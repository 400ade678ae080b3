package io.interestfl.secagg.protocol;

import io.interestfl.secagg.crypto.ChaCha20MaskGenerator;
import io.interestfl.secagg.crypto.KeyAgreement;
import io.interestfl.secagg.crypto.KeyContext;
import io.interestfl.secagg.crypto.KeyContext.Purpose;
import io.interestfl.secagg.crypto.MaskGenerator;
import io.interestfl.secagg.crypto.Secret;
import io.interestfl.secagg.crypto.ShamirSharing;
import io.interestfl.secagg.crypto.ShamirSharing.Share;
import io.interestfl.secagg.crypto.X25519KeyAgreement;
import io.interestfl.secagg.masking.MaskTerm;
import io.interestfl.secagg.masking.ParallelMasking;
import io.interestfl.secagg.message.AdvertiseKeys;
import io.interestfl.secagg.message.ClientMessage;
import io.interestfl.secagg.message.ConsistencySignature;
import io.interestfl.secagg.message.EncryptedShare;
import io.interestfl.secagg.message.KeyDirectory;
import io.interestfl.secagg.message.MaskedInput;
import io.interestfl.secagg.message.RoundStart;
import io.interestfl.secagg.message.ShareBundle;
import io.interestfl.secagg.message.ShareKeys;
import io.interestfl.secagg.message.SurvivorList;
import io.interestfl.secagg.message.UnmaskRequest;
import io.interestfl.secagg.message.UnmaskRequest.SurvivorSignature;
import io.interestfl.secagg.message.UnmaskResponse;
import io.interestfl.secagg.message.UnmaskResponse.RevealedShare;
import io.interestfl.secagg.message.UnmaskResponse.SecretKind;
import java.security.MessageDigest;
import java.security.SecureRandom;
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
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The server's side of one SecAgg+ round. It never sees an individual input: masked inputs are
 * folded into one modular accumulator as they arrive (memory O(model), not O(n × model)), and only
 * the masks of the sum are removed at the end.
 *
 * <p>Round flow for a transport (gRPC or anything else; all messages travel as {@code toBytes()}):
 *
 * <ol>
 *   <li>{@link #roundStart()}: broadcast to the cohort with the global model. Feed every
 *       {@link AdvertiseKeys} reply to {@link #receive}; when all replied or the deadline passes,
 *       call {@link #closeAdvertiseKeys()}.
 *   <li>Broadcast the returned {@link KeyDirectory} to the clients in it. Feed {@link ShareKeys}
 *       replies to {@link #receive}; then {@link #closeShareKeys()}.
 *   <li>Send each client its own {@link ShareBundle} from the returned map. Feed {@link
 *       MaskedInput} replies to {@link #receive}; then {@link #closeMaskedInputCollection()}.
 *   <li>Broadcast the returned {@link SurvivorList} to the survivors. Feed {@link
 *       ConsistencySignature} replies to {@link #receive}; then {@link #closeConsistencyCheck()}.
 *   <li>Send each client its own {@link UnmaskRequest} from the returned map. Feed {@link
 *       UnmaskResponse} replies to {@link #receive}; then {@link #finish(ExecutorService)} returns
 *       the sum modulo 2^b of the inputs of {@link #survivors()}.
 * </ol>
 *
 * Clients may vanish at any point: a close method proceeds with whoever answered, and throws
 * {@link TooFewSurvivorsException} (round aborted) when fewer than t remain; {@link #finish}
 * throws {@link UnrecoverableSecretException} naming the client whose secret has fewer than t
 * shares, before removing any mask. {@link #receive} rejects a message of the wrong phase ({@link
 * ProtocolStateException}), of another round or session ({@link WrongSessionException}), with a bad
 * signature ({@link InvalidSignatureException}) or otherwise invalid ({@link
 * InvalidMessageException}); a rejected message changes nothing, so the transport may simply treat
 * its sender as dropped. All methods are thread-safe.
 */
public final class SecAggServer {
  /** Server phases. */
  public enum Phase {
    /** Collecting AdvertiseKeys. */
    ADVERTISE_KEYS,
    /** Collecting ShareKeys. */
    SHARE_KEYS,
    /** Collecting MaskedInput. */
    MASKED_INPUT_COLLECTION,
    /** Collecting ConsistencySignature. */
    CONSISTENCY_CHECK,
    /** Collecting UnmaskResponse. */
    UNMASKING,
    /** Sum returned. */
    FINISHED,
    /** Round aborted. */
    ABORTED
  }

  /**
   * Timings and sizes of the last {@link #finish} (for benchmarks).
   *
   * @param selfMaskExpansions PRG expansions for self masks (one per survivor)
   * @param pairwiseExpansions PRG expansions for pairwise masks of dropped clients
   * @param reconstructionNanos Shamir reconstruction and key agreement time
   * @param maskRemovalNanos PRG expansion and subtraction time
   */
  public record UnmaskingStats(
      int selfMaskExpansions, int pairwiseExpansions, long reconstructionNanos, long maskRemovalNanos) {
    /** Total expansions. */
    public int expansions() {
      return selfMaskExpansions + pairwiseExpansions;
    }
  }

  private final Session session;
  private final RoundStart start;
  private final byte[] modelHash;
  private final IdentityRegistry registry;
  private final MaskGenerator maskGenerator = new ChaCha20MaskGenerator();
  private final int threshold;

  private Phase phase = Phase.ADVERTISE_KEYS;
  private final Map<Integer, AdvertiseKeys> advertised = new TreeMap<>();
  private KeyDirectory directory;
  private byte[] sessionId;
  private final Map<Integer, ShareKeys> shareKeys = new TreeMap<>();
  private int[] u2;
  private final Set<Integer> u3 = new TreeSet<>();
  private int[] u3Array;
  private int[] accumulator;
  private final Map<Integer, byte[]> consistency = new TreeMap<>();
  private byte[] survivorTranscript;
  private final Map<Integer, UnmaskResponse> responses = new TreeMap<>();
  private int[] droppedAfterSharing;
  private UnmaskingStats stats;

  /**
   * @param roundId unique id of this round
   * @param cohort the invited client ids (positive, distinct)
   * @param parameters k and t for this cohort (e.g. {@link SecAggParameters#choose})
   * @param vectorLength words per input
   * @param bitWidth b: sums are modulo 2^b (see {@code Quantizer#bitWidth()})
   * @param identityRegistry client id → Ed25519 public key (32 bytes)
   * @param modelHash SHA-256 of the global model sent to the cohort
   * @param random source of the graph seed
   */
  public SecAggServer(long roundId, int[] cohort, SecAggParameters parameters, int vectorLength, int bitWidth,
      Map<Integer, byte[]> identityRegistry, byte[] modelHash, SecureRandom random) {
    this(roundId, cohort, parameters, vectorLength, bitWidth, IdentityRegistry.of(identityRegistry), modelHash, random);
  }

  /** Same, with a shared {@link IdentityRegistry}. */
  public SecAggServer(long roundId, int[] cohort, SecAggParameters parameters, int vectorLength, int bitWidth,
      IdentityRegistry identityRegistry, byte[] modelHash, SecureRandom random) {
    Session.requireModelHash(modelHash);
    int[] sorted = cohort.clone();
    Arrays.sort(sorted);
    if (sorted.length != parameters.cohortSize()) {
      throw new IllegalArgumentException(
          "cohort has " + sorted.length + " clients but parameters are for " + parameters.cohortSize());
    }
    byte[] seed = new byte[RoundStart.SEED_LENGTH];
    random.nextBytes(seed);
    this.start = new RoundStart(roundId, sorted, parameters.degree(), parameters.threshold(), bitWidth, vectorLength, seed);
    this.session = new Session(start);
    for (int id : sorted) {
      if (!identityRegistry.contains(id)) {
        throw new IllegalArgumentException("no identity key registered for client " + id);
      }
    }
    this.registry = identityRegistry;
    this.modelHash = modelHash.clone();
    this.threshold = parameters.threshold();
  }

  /** The phase-0 broadcast. */
  public RoundStart roundStart() {
    return start;
  }

  /** Current phase. */
  public synchronized Phase phase() {
    return phase;
  }

  /** The session id (available after {@link #closeAdvertiseKeys()}). */
  public synchronized byte[] sessionId() {
    return sessionId == null ? null : sessionId.clone();
  }

  /** Neighbours of a client in this round's graph. */
  public int[] neighbours(int clientId) {
    return session.graph.neighbours(clientId);
  }

  /** U3: clients whose inputs are in the sum (after {@link #closeMaskedInputCollection()}). */
  public synchronized int[] survivors() {
    return u3Array == null ? null : u3Array.clone();
  }

  /** Stats of {@link #finish}, or null before. */
  public synchronized UnmaskingStats stats() {
    return stats;
  }

  // ---------------------------------------------------------------- collection

  /**
   * Accepts one client message of the current phase.
   *
   * @throws ProtocolStateException wrong phase for this message type, or duplicate
   * @throws WrongSessionException other round or session
   * @throws InvalidSignatureException signature does not verify
   * @throws InvalidMessageException sender not expected in this phase, or bad content
   */
  public synchronized void receive(ClientMessage message) {
    if (message.roundId() != start.roundId()) {
      throw new WrongSessionException("message of round " + message.roundId() + " in round " + start.roundId());
    }
    Phase needed;
    if (message instanceof AdvertiseKeys) {
      needed = Phase.ADVERTISE_KEYS;
    } else if (message instanceof ShareKeys) {
      needed = Phase.SHARE_KEYS;
    } else if (message instanceof MaskedInput) {
      needed = Phase.MASKED_INPUT_COLLECTION;
    } else if (message instanceof ConsistencySignature) {
      needed = Phase.CONSISTENCY_CHECK;
    } else {
      needed = Phase.UNMASKING;
    }
    if (phase != needed) {
      throw new ProtocolStateException("server in phase " + phase + " cannot accept "
          + message.getClass().getSimpleName() + " from client " + message.clientId());
    }
    if (message instanceof AdvertiseKeys a) {
      onAdvertiseKeys(a);
    } else if (message instanceof ShareKeys s) {
      onShareKeys(s);
    } else if (message instanceof MaskedInput m) {
      onMaskedInput(m);
    } else if (message instanceof ConsistencySignature c) {
      onConsistencySignature(c);
    } else if (message instanceof UnmaskResponse u) {
      onUnmaskResponse(u);
    }
  }

  private void onAdvertiseKeys(AdvertiseKeys a) {
    int u = a.clientId();
    if (!session.graph.contains(u)) {
      throw new InvalidMessageException("client " + u + " is not in the cohort");
    }
    if (advertised.containsKey(u)) {
      throw new ProtocolStateException("client " + u + " already advertised keys");
    }
    if (!registry.verify(u, Transcript.advertisement(session.startDigest, modelHash, a), a.signature())) {
      throw new InvalidSignatureException(u, "advertised keys (wrong round, model or key)");
    }
    advertised.put(u, a);
  }

  private void onShareKeys(ShareKeys s) {
    int u = s.clientId();
    checkSession(s.sessionId());
    if (!advertised.containsKey(u)) {
      throw new InvalidMessageException("client " + u + " sent shares without advertised keys");
    }
    if (shareKeys.containsKey(u)) {
      throw new ProtocolStateException("client " + u + " already sent shares");
    }
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

  private void onMaskedInput(MaskedInput m) {
    int u = m.clientId();
    checkSession(m.sessionId());
    if (Arrays.binarySearch(u2, u) < 0) {
      throw new InvalidMessageException("client " + u + " sent a masked input without shared keys");
    }
    if (u3.contains(u)) {
      throw new ProtocolStateException("client " + u + " already sent its masked input");
    }
    if (m.bitWidth() != start.bitWidth() || m.vector().length != start.vectorLength()) {
      throw new InvalidMessageException("masked input of client " + u + " has " + m.vector().length
          + " words of " + m.bitWidth() + " bits, expected " + start.vectorLength() + " of " + start.bitWidth());
    }
    int[] y = m.vector();
    int[] acc = accumulator;
    for (int i = 0; i < acc.length; i++) {
      acc[i] += y[i];
    }
    u3.add(u);
  }

  private void onConsistencySignature(ConsistencySignature c) {
    int u = c.clientId();
    checkSession(c.sessionId());
    if (!u3.contains(u)) {
      throw new InvalidMessageException("client " + u + " is not a survivor");
    }
    if (consistency.containsKey(u)) {
      throw new ProtocolStateException("client " + u + " already signed");
    }
    if (!registry.verify(u, survivorTranscript, c.signature())) {
      throw new InvalidSignatureException(u, "survivor list");
    }
    consistency.put(u, c.signature());
  }

  private void onUnmaskResponse(UnmaskResponse r) {
    int u = r.clientId();
    checkSession(r.sessionId());
    if (!consistency.containsKey(u)) {
      throw new InvalidMessageException("client " + u + " was not asked to unmask");
    }
    if (responses.containsKey(u)) {
      throw new ProtocolStateException("client " + u + " already answered");
    }
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

  private void checkSession(byte[] sid) {
    if (!MessageDigest.isEqual(sid, sessionId)) {
      throw new WrongSessionException("message of another session (replay or split view)");
    }
  }

  // ---------------------------------------------------------------- phase transitions

  /** Ends phase 0: returns the key directory of U1 to broadcast. */
  public synchronized KeyDirectory closeAdvertiseKeys() {
    requirePhase(Phase.ADVERTISE_KEYS);
    requireEnough(advertised.size(), "clients advertised keys");
    directory = new KeyDirectory(start.roundId(), new ArrayList<>(advertised.values()));
    sessionId = Transcript.sessionId(start, modelHash, directory);
    phase = Phase.SHARE_KEYS;
    return directory;
  }

  /** Ends phase 1: returns, per client of U2, the bundle of shares addressed to it. */
  public synchronized Map<Integer, ShareBundle> closeShareKeys() {
    requirePhase(Phase.SHARE_KEYS);
    requireEnough(shareKeys.size(), "clients shared keys");
    u2 = shareKeys.keySet().stream().mapToInt(Integer::intValue).toArray();
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
      out.put(v, new ShareBundle(start.roundId(), sessionId, v, u2, inbox.getOrDefault(v, List.of())));
    }
    accumulator = new int[start.vectorLength()];
    phase = Phase.MASKED_INPUT_COLLECTION;
    return out;
  }

  /** Ends phase 2: returns the survivor list U3 to broadcast to U3. */
  public synchronized SurvivorList closeMaskedInputCollection() {
    requirePhase(Phase.MASKED_INPUT_COLLECTION);
    requireEnough(u3.size(), "clients sent masked inputs");
    u3Array = u3.stream().mapToInt(Integer::intValue).toArray();
    Set<Integer> dropped = new TreeSet<>();
    for (int v : u2) {
      if (!u3.contains(v)) {
        dropped.add(v);
      }
    }
    droppedAfterSharing = dropped.stream().mapToInt(Integer::intValue).toArray();
    survivorTranscript = Transcript.survivors(start.roundId(), sessionId, u3Array);
    phase = Phase.CONSISTENCY_CHECK;
    return new SurvivorList(start.roundId(), sessionId, u3Array);
  }

  /** Ends phase 3: returns, per client of U4, its unmask request. */
  public synchronized Map<Integer, UnmaskRequest> closeConsistencyCheck() {
    requirePhase(Phase.CONSISTENCY_CHECK);
    requireEnough(consistency.size(), "clients signed the survivor list");
    Map<Integer, UnmaskRequest> out = new LinkedHashMap<>();
    for (int u : consistency.keySet()) {
      List<SurvivorSignature> sigs = new ArrayList<>();
      for (int v : session.holders(u)) {
        byte[] sig = consistency.get(v);
        if (sig != null) {
          sigs.add(new SurvivorSignature(v, sig));
        }
      }
      out.put(u, new UnmaskRequest(start.roundId(), sessionId, u, u3Array, droppedAfterSharing, sigs));
    }
    phase = Phase.UNMASKING;
    return out;
  }

  /**
   * {@link #finish(ExecutorService)} on a temporary pool with one thread per available processor
   * (the common fork-join pool has only n-1 workers, i.e. one on a 2-core machine).
   */
  public int[] finish() {
    ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
    try {
      return finish(pool);
    } finally {
      pool.shutdown();
    }
  }

  /**
   * Ends the round: reconstructs every needed secret (b_u of each survivor, s_v^SK of each client
   * that dropped after sharing keys and has a surviving neighbour), then removes all masks from the
   * accumulator in parallel on {@code pool}. Call it from a thread that is not one of {@code
   * pool}'s own workers when the pool is a small fixed pool (the call waits for tasks it submits).
   *
   * @return the sum modulo 2^b of the inputs of {@link #survivors()}, words in [0, 2^b)
   * @throws UnrecoverableSecretException a needed secret has fewer than t valid shares (the round
   *     is aborted; no mask was removed)
   */
  public synchronized int[] finish(ExecutorService pool) {
    requirePhase(Phase.UNMASKING);
    try {
      return unmask(pool);
    } catch (RuntimeException e) {
      phase = Phase.ABORTED;
      accumulator = null;
      throw e;
    }
  }

  private int[] unmask(ExecutorService pool) {
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
    List<Future<Secret>> selfSeeds = new ArrayList<>(u3Array.length);
    for (int u : u3Array) {
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
    ParallelMasking.apply(maskGenerator, terms, accumulator, pool);
    int bw = start.bitWidth();
    int[] sum = accumulator;
    if (bw < 32) {
      int mask = (1 << bw) - 1;
      for (int i = 0; i < sum.length; i++) {
        sum[i] &= mask;
      }
    }
    long t2 = System.nanoTime();
    stats = new UnmaskingStats(selfTerms, terms.size() - selfTerms, t1 - t0, t2 - t1);
    accumulator = null;
    phase = Phase.FINISHED;
    return sum;
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
    } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e); // unreachable: awaited before
    }
  }

  private Secret reconstruct(int owner, SecretKind kind, List<Share> shares) {
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

  private void requirePhase(Phase wanted) {
    if (phase != wanted) {
      throw new ProtocolStateException("server is in phase " + phase + ", not " + wanted);
    }
  }

  private void requireEnough(int count, String what) {
    if (count < threshold) {
      phase = Phase.ABORTED;
      accumulator = null;
      throw new TooFewSurvivorsException("only " + count + " " + what + "; threshold " + threshold
          + ": round " + start.roundId() + " aborted");
    }
  }
}
