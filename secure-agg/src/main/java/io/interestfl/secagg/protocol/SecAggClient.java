package io.interestfl.secagg.protocol;

import io.interestfl.secagg.crypto.Signer;
import io.interestfl.secagg.message.AdvertiseKeys;
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
import java.util.function.Supplier;

/**
 * One client's side of one SecAgg+ round. Create one instance per round; call the five phase
 * methods in order, each with the server's message of that phase, and send back what it returns:
 *
 * <pre>
 *  server sends                      client calls                          client replies
 *  RoundStart (broadcast)        ->  advertiseKeys(start, modelHash)    -> AdvertiseKeys
 *  KeyDirectory (broadcast)      ->  shareKeys(directory)               -> ShareKeys
 *  ShareBundle (per client)      ->  maskInput(bundle, quantizedInput)  -> MaskedInput
 *  SurvivorList (broadcast)      ->  consistencyCheck(survivors)        -> ConsistencySignature
 *  UnmaskRequest (per client)    ->  unmask(request)                    -> UnmaskResponse
 * </pre>
 *
 * {@code modelHash} is SHA-256 of the global model bytes <em>as this client received them</em>:
 * it is signed with the keys and hashed into the session id, so a client that was sent a different
 * model cannot complete the round with the others.
 *
 * <p>State machine: NEW → ADVERTISED → SHARED → MASKED → SIGNED → DONE. A call in the wrong state
 * throws {@link ProtocolStateException}; a message of another round or session throws {@link
 * WrongSessionException}; both leave the state unchanged (the genuine message may still come).
 * Every other failure (bad signature, undecryptable share, inconsistent survivor lists, a request
 * for both secrets of one neighbour, too few neighbours) moves the client to ABORTED, after which
 * it reveals nothing more. Not thread-safe: one round is driven by one thread at a time.
 *
 * <p>This class is the state machine: which message each state accepts, and what is forgotten on
 * abort. What each phase receives, checks, sends and keeps is in its own class: {@code
 * ClientAdvertiseKeysPhase}, {@code ClientShareKeysPhase}, {@code ClientMaskedInputPhase}, {@code
 * ClientConsistencyCheckPhase}, {@code ClientUnmaskingPhase}.
 */
public final class SecAggClient {
  /** Client states. */
  public enum State {
    /** Waiting for RoundStart. */
    NEW,
    /** Keys advertised; waiting for the key directory. */
    ADVERTISED,
    /** Shares sent; waiting for the share bundle. */
    SHARED,
    /** Masked input sent; waiting for the survivor list. */
    MASKED,
    /** Survivor list signed; waiting for the unmask request. */
    SIGNED,
    /** Unmask response sent; the round is over for this client. */
    DONE,
    /** Aborted after a protocol violation; nothing more is revealed. */
    ABORTED
  }

  private final ClientContext me;
  private State state = State.NEW;
  // What each completed phase keeps (null until that phase succeeded).
  private ClientAdvertiseKeysPhase advertised;
  private ClientShareKeysPhase shared;
  private ClientMaskedInputPhase masked;
  private ClientConsistencyCheckPhase signed;

  /**
   * @param clientId this client's positive id
   * @param identity its long-term Ed25519 identity key
   * @param identityRegistry client id → Ed25519 public key (32 bytes) of every potential peer
   * @param random source of all key material and nonces
   */
  public SecAggClient(int clientId, Signer identity, Map<Integer, byte[]> identityRegistry, SecureRandom random) {
    this(clientId, identity, IdentityRegistry.of(identityRegistry), random);
  }

  /** Same, with a shared {@link IdentityRegistry}. */
  public SecAggClient(int clientId, Signer identity, IdentityRegistry identityRegistry, SecureRandom random) {
    if (clientId <= 0) {
      throw new IllegalArgumentException("clientId must be positive, got " + clientId);
    }
    this.me = new ClientContext(clientId, identity, identityRegistry, random);
  }

  /** This client's id. */
  public int clientId() {
    return me.id();
  }

  /** Current state. */
  public State state() {
    return state;
  }

  /** The session id derived in {@link #shareKeys}, or null before. */
  public byte[] sessionId() {
    return shared == null ? null : shared.sessionId.clone();
  }

  /**
   * Phase 0: generates two fresh X25519 key pairs and signs them.
   *
   * @param modelHash SHA-256 of the global model as received by this client
   */
  public AdvertiseKeys advertiseKeys(RoundStart start, byte[] modelHash) {
    expect(State.NEW, "RoundStart");
    return advance(State.ADVERTISED, () -> {
      advertised = new ClientAdvertiseKeysPhase(me, start, modelHash);
      return advertised.reply();
    });
  }

  /**
   * Phase 1: checks the directory (own keys unchanged, neighbours' signatures, distinct keys),
   * derives the session id, draws the self-mask seed b_u and Shamir-shares b_u and the masking
   * private key among the neighbours that advertised plus itself, and seals each neighbour's pair
   * of shares with AES-256-GCM.
   */
  public ShareKeys shareKeys(KeyDirectory dir) {
    checkRound(dir.roundId());
    expect(State.ADVERTISED, "KeyDirectory");
    return advance(State.SHARED, () -> {
      shared = new ClientShareKeysPhase(me, advertised, dir);
      return shared.reply();
    });
  }

  /** {@link #maskInput(ShareBundle, int[], ExecutorService)} on the calling thread. */
  public MaskedInput maskInput(ShareBundle bundle, int[] input) {
    return maskInput(bundle, input, null);
  }

  /**
   * Phase 2: decrypts and checks the shares received, then returns y_u = x_u + PRG(b_u) + sum over
   * neighbours v in U2 of ±PRG(s_uv) (plus when v &gt; u) modulo 2^b.
   *
   * @param input the quantized input, {@code vectorLength} words in [0, 2^b)
   * @param pool optional executor to expand masks in parallel (null: calling thread)
   */
  public MaskedInput maskInput(ShareBundle bundle, int[] input, ExecutorService pool) {
    expectInSession(bundle.roundId(), bundle.sessionId(), State.SHARED, "ShareBundle");
    return advance(State.MASKED, () -> {
      masked = new ClientMaskedInputPhase(me, advertised, shared, bundle, input, pool);
      return masked.reply();
    });
  }

  /**
   * Phase 3: checks the survivor list (contains this client, at least t clients, every listed
   * neighbour is one whose shares this client holds) and signs it.
   */
  public ConsistencySignature consistencyCheck(SurvivorList list) {
    expectInSession(list.roundId(), list.sessionId(), State.MASKED, "SurvivorList");
    return advance(State.SIGNED, () -> {
      signed = new ClientConsistencyCheckPhase(me, advertised.session, shared, masked, list);
      return signed.reply();
    });
  }

  /**
   * Phase 4: checks the request and reveals, for each neighbour whose shares it holds, exactly one
   * share: the self-mask seed share if the neighbour is alive, the masking-key share if it
   * dropped; plus its own self-mask share. Refuses (and aborts) if a client is listed as both alive
   * and dropped, if {@code alive} differs from the list it signed, if a neighbour is in neither
   * list, or if fewer than t neighbours (itself included) validly signed the same list.
   */
  public UnmaskResponse unmask(UnmaskRequest req) {
    expectInSession(req.roundId(), req.sessionId(), State.SIGNED, "UnmaskRequest");
    return advance(State.DONE, () -> {
      UnmaskResponse out = ClientUnmaskingPhase.respond(me, advertised.session, shared, masked, signed, req);
      forgetSecrets();
      return out;
    });
  }

  // ---------------------------------------------------------------- helpers

  private void expect(State wanted, String message) {
    if (state != wanted) {
      throw new ProtocolStateException(
          "client " + me.id() + " in state " + state + " cannot accept " + message + " (expects it in " + wanted + ")");
    }
  }

  private void checkRound(long roundId) {
    if (advertised == null) {
      throw new ProtocolStateException("client " + me.id() + " has not received RoundStart yet");
    }
    long current = advertised.session.start.roundId();
    if (roundId != current) {
      throw new WrongSessionException("message of round " + roundId + " in round " + current + " (replay?)");
    }
  }

  /** The checks before phases 2 to 4 (right round, state and session); none changes the state. */
  private void expectInSession(long roundId, byte[] sessionId, State wanted, String message) {
    checkRound(roundId);
    expect(wanted, message);
    Session.requireSessionId(sessionId, shared.sessionId);
  }

  /**
   * Runs a phase and moves to {@code next}. A wrong state or another round/session leaves the
   * state unchanged (the genuine message may still come); any other failure aborts and forgets
   * every secret.
   */
  private <T> T advance(State next, Supplier<T> phase) {
    try {
      T reply = phase.get();
      state = next;
      return reply;
    } catch (WrongSessionException | ProtocolStateException e) {
      throw e;
    } catch (RuntimeException e) {
      state = State.ABORTED;
      forgetSecrets();
      throw e;
    }
  }

  private void forgetSecrets() {
    if (shared != null) {
      shared.forget();
    }
    if (masked != null) {
      masked.forget();
    }
    if (advertised != null) {
      advertised.forget();
    }
  }
}
