package io.interestfl.secagg.protocol;

import io.interestfl.secagg.message.AdvertiseKeys;
import io.interestfl.secagg.message.ClientMessage;
import io.interestfl.secagg.message.ConsistencySignature;
import io.interestfl.secagg.message.KeyDirectory;
import io.interestfl.secagg.message.MaskedInput;
import io.interestfl.secagg.message.RoundStart;
import io.interestfl.secagg.message.ShareBundle;
import io.interestfl.secagg.message.ShareKeys;
import io.interestfl.secagg.message.SurvivorList;
import io.interestfl.secagg.message.UnmaskRequest;
import io.interestfl.secagg.message.UnmaskResponse;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

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
 *
 * <p>This class is the state machine: which message belongs to which phase, and when a phase may
 * close. What each phase sends, checks and hands on is in its own class: {@code
 * ServerAdvertiseKeysPhase}, {@code ServerShareKeysPhase}, {@code ServerMaskedInputPhase}, {@code
 * ServerConsistencyCheckPhase}, {@code ServerUnmaskingPhase}.
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
  private final int threshold;

  private Phase phase = Phase.ADVERTISE_KEYS;
  // One object per phase, created when the phase opens. The two that hold the accumulator are
  // dropped when the round ends (finished or aborted).
  private final ServerAdvertiseKeysPhase advertiseKeys;
  private ServerShareKeysPhase shareKeys;
  private ServerMaskedInputPhase maskedInputs;
  private ServerConsistencyCheckPhase consistencyCheck;
  private ServerUnmaskingPhase unmasking;
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
    this.start = ServerAdvertiseKeysPhase.roundStart(roundId, cohort, parameters, vectorLength, bitWidth, random);
    this.session = new Session(start);
    for (int id : start.cohort()) {
      if (!identityRegistry.contains(id)) {
        throw new IllegalArgumentException("no identity key registered for client " + id);
      }
    }
    this.registry = identityRegistry;
    this.modelHash = modelHash.clone();
    this.threshold = parameters.threshold();
    this.advertiseKeys = new ServerAdvertiseKeysPhase(session, this.modelHash, registry);
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
    return shareKeys == null ? null : shareKeys.sessionId().clone();
  }

  /** Neighbours of a client in this round's graph. */
  public int[] neighbours(int clientId) {
    return session.graph.neighbours(clientId);
  }

  /** U3: clients whose inputs are in the sum (after {@link #closeMaskedInputCollection()}). */
  public synchronized int[] survivors() {
    return consistencyCheck == null ? null : consistencyCheck.survivors().clone();
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
    Phase needed = collectedIn(message);
    if (phase != needed) {
      throw new ProtocolStateException("server in phase " + phase + " cannot accept "
          + message.getClass().getSimpleName() + " from client " + message.clientId());
    }
    if (message instanceof AdvertiseKeys a) {
      advertiseKeys.accept(a);
    } else if (message instanceof ShareKeys s) {
      shareKeys.accept(s);
    } else if (message instanceof MaskedInput m) {
      maskedInputs.accept(m);
    } else if (message instanceof ConsistencySignature c) {
      consistencyCheck.accept(c);
    } else if (message instanceof UnmaskResponse u) {
      unmasking.accept(u);
    }
  }

  /** The phase in which the server collects messages of this type. */
  private static Phase collectedIn(ClientMessage message) {
    if (message instanceof AdvertiseKeys) {
      return Phase.ADVERTISE_KEYS;
    } else if (message instanceof ShareKeys) {
      return Phase.SHARE_KEYS;
    } else if (message instanceof MaskedInput) {
      return Phase.MASKED_INPUT_COLLECTION;
    } else if (message instanceof ConsistencySignature) {
      return Phase.CONSISTENCY_CHECK;
    }
    return Phase.UNMASKING;
  }

  // ---------------------------------------------------------------- phase transitions

  /** Ends phase 0: returns the key directory of U1 to broadcast. */
  public synchronized KeyDirectory closeAdvertiseKeys() {
    requirePhase(Phase.ADVERTISE_KEYS);
    requireEnough(advertiseKeys.received(), "clients advertised keys");
    shareKeys = new ServerShareKeysPhase(session, modelHash, advertiseKeys.advertised());
    phase = Phase.SHARE_KEYS;
    return shareKeys.directory();
  }

  /** Ends phase 1: returns, per client of U2, the bundle of shares addressed to it. */
  public synchronized Map<Integer, ShareBundle> closeShareKeys() {
    requirePhase(Phase.SHARE_KEYS);
    requireEnough(shareKeys.received(), "clients shared keys");
    maskedInputs = new ServerMaskedInputPhase(session, shareKeys.sessionId(), shareKeys.shareKeys());
    phase = Phase.MASKED_INPUT_COLLECTION;
    return maskedInputs.bundles();
  }

  /** Ends phase 2: returns the survivor list U3 to broadcast to U3. */
  public synchronized SurvivorList closeMaskedInputCollection() {
    requirePhase(Phase.MASKED_INPUT_COLLECTION);
    requireEnough(maskedInputs.received(), "clients sent masked inputs");
    consistencyCheck = new ServerConsistencyCheckPhase(
        session, registry, shareKeys.sessionId(), maskedInputs.u2(), maskedInputs.u3());
    phase = Phase.CONSISTENCY_CHECK;
    return consistencyCheck.survivorList();
  }

  /** Ends phase 3: returns, per client of U4, its unmask request. */
  public synchronized Map<Integer, UnmaskRequest> closeConsistencyCheck() {
    requirePhase(Phase.CONSISTENCY_CHECK);
    requireEnough(consistencyCheck.received(), "clients signed the survivor list");
    unmasking = new ServerUnmaskingPhase(session, shareKeys.sessionId(), advertiseKeys.advertised(),
        consistencyCheck, maskedInputs.accumulator());
    phase = Phase.UNMASKING;
    return unmasking.requests();
  }

  /**
   * {@link #finish(ExecutorService)} on a temporary pool with one thread per available processor
   * (the common fork-join pool has only n-1 workers, i.e. one on a 2-core machine).
   */
  public int[] finish() {
    ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
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
      int[] sum = unmasking.finish(pool);
      stats = unmasking.stats();
      end(Phase.FINISHED);
      return sum;
    } catch (RuntimeException e) {
      end(Phase.ABORTED);
      throw e;
    }
  }

  private void requirePhase(Phase wanted) {
    if (phase != wanted) {
      throw new ProtocolStateException("server is in phase " + phase + ", not " + wanted);
    }
  }

  private void requireEnough(int count, String what) {
    if (count < threshold) {
      end(Phase.ABORTED);
      throw new TooFewSurvivorsException("only " + count + " " + what + "; threshold " + threshold
          + ": round " + start.roundId() + " aborted");
    }
  }

  /** Moves to a final phase and lets go of the accumulator. */
  private void end(Phase last) {
    phase = last;
    maskedInputs = null;
    unmasking = null;
  }
}
