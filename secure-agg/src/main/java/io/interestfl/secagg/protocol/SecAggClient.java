package io.interestfl.secagg.protocol;

import io.interestfl.secagg.crypto.AesGcmShareEncryptor;
import io.interestfl.secagg.crypto.ChaCha20MaskGenerator;
import io.interestfl.secagg.crypto.KeyAgreement;
import io.interestfl.secagg.crypto.KeyContext;
import io.interestfl.secagg.crypto.KeyContext.Purpose;
import io.interestfl.secagg.crypto.MaskGenerator;
import io.interestfl.secagg.crypto.Secret;
import io.interestfl.secagg.crypto.ShamirSharing;
import io.interestfl.secagg.crypto.ShamirSharing.Share;
import io.interestfl.secagg.crypto.ShareEncryptor;
import io.interestfl.secagg.crypto.Signer;
import io.interestfl.secagg.crypto.X25519KeyAgreement;
import io.interestfl.secagg.masking.MaskTerm;
import io.interestfl.secagg.masking.ParallelMasking;
import io.interestfl.secagg.message.AdvertiseKeys;
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
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;

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

  private final int clientId;
  private final Signer identity;
  private final IdentityRegistry registry;
  private final SecureRandom random;
  private final MaskGenerator maskGenerator = new ChaCha20MaskGenerator();

  private State state = State.NEW;
  private Session session;
  private byte[] modelHash;
  private KeyAgreement encryptionKey;
  private KeyAgreement maskingKey;
  private AdvertiseKeys myAdvertisement;
  private Map<Integer, AdvertiseKeys> directory;
  private byte[] sessionId;
  private Secret selfMaskSeed;
  private Share ownSelfMaskShare;
  private int[] neighbours;
  /** Neighbour -> its shares held by this client (self-mask, masking key), from the bundle. */
  private final Map<Integer, Share[]> heldShares = new TreeMap<>();
  /** Neighbour -> AES key of the pair (derived once in shareKeys, reused to open its share). */
  private final Map<Integer, Secret> shareKeysByNeighbour = new HashMap<>();
  private int[] signedSurvivors;

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
    this.clientId = clientId;
    this.identity = identity;
    this.registry = identityRegistry;
    this.random = random;
  }

  /** This client's id. */
  public int clientId() {
    return clientId;
  }

  /** Current state. */
  public State state() {
    return state;
  }

  /** The session id derived in {@link #shareKeys}, or null before. */
  public byte[] sessionId() {
    return sessionId == null ? null : sessionId.clone();
  }

  // ---------------------------------------------------------------- phase 0: AdvertiseKeys

  /**
   * Phase 0: generates two fresh X25519 key pairs and signs them.
   *
   * @param modelHash SHA-256 of the global model as received by this client
   */
  public AdvertiseKeys advertiseKeys(RoundStart start, byte[] modelHash) {
    expect(State.NEW, "RoundStart");
    return guarded(() -> {
      Session.requireModelHash(modelHash);
      Session s;
      try {
        s = new Session(start);
      } catch (IllegalArgumentException e) {
        throw new InvalidMessageException("invalid round configuration: " + e.getMessage(), e);
      }
      if (!s.graph.contains(clientId)) {
        throw new InvalidMessageException("client " + clientId + " is not in the cohort of round " + start.roundId());
      }
      KeyAgreement c = X25519KeyAgreement.generate(random);
      KeyAgreement sk = X25519KeyAgreement.generate(random);
      byte[] sig = identity.sign(
          Transcript.advertisement(s.startDigest, modelHash, clientId, c.publicKey(), sk.publicKey()));
      AdvertiseKeys out = new AdvertiseKeys(start.roundId(), clientId, c.publicKey(), sk.publicKey(), sig);
      this.session = s;
      this.modelHash = modelHash.clone();
      this.encryptionKey = c;
      this.maskingKey = sk;
      this.myAdvertisement = out;
      this.neighbours = s.graph.neighbours(clientId);
      state = State.ADVERTISED;
      return out;
    });
  }

  // ---------------------------------------------------------------- phase 1: ShareKeys

  /**
   * Phase 1: checks the directory (own keys unchanged, neighbours' signatures, distinct keys),
   * derives the session id, draws the self-mask seed b_u and Shamir-shares b_u and the masking
   * private key among the neighbours that advertised plus itself, and seals each neighbour's pair
   * of shares with AES-256-GCM.
   */
  public ShareKeys shareKeys(KeyDirectory dir) {
    checkRound(dir.roundId());
    expect(State.ADVERTISED, "KeyDirectory");
    return guarded(() -> {
      Map<Integer, AdvertiseKeys> byId = new HashMap<>();
      Set<ByteBuffer> keys = new HashSet<>();
      for (AdvertiseKeys a : dir.entries()) {
        if (!session.graph.contains(a.clientId())) {
          throw new InvalidMessageException("directory lists client " + a.clientId() + " outside the cohort");
        }
        if (!keys.add(ByteBuffer.wrap(a.encryptionKey())) || !keys.add(ByteBuffer.wrap(a.maskingKey()))) {
          throw new InvalidMessageException("directory repeats a public key (client " + a.clientId() + ")");
        }
        byId.put(a.clientId(), a);
      }
      AdvertiseKeys mine = byId.get(clientId);
      if (mine == null) {
        throw new InvalidMessageException("directory does not contain this client " + clientId);
      }
      if (!Arrays.equals(mine.toBytes(), myAdvertisement.toBytes())) {
        throw new InvalidMessageException("directory altered the keys of this client " + clientId);
      }
      List<Integer> liveNeighbours = new ArrayList<>();
      for (int v : neighbours) {
        AdvertiseKeys a = byId.get(v);
        if (a == null) {
          continue;
        }
        if (!registry.verify(v, Transcript.advertisement(session.startDigest, modelHash, a), a.signature())) {
          throw new InvalidSignatureException(v, "advertised keys of round " + dir.roundId());
        }
        liveNeighbours.add(v);
      }
      int t = session.parameters.threshold();
      if (liveNeighbours.size() + 1 < t) {
        throw new TooFewSurvivorsException("only " + liveNeighbours.size() + " neighbours of client "
            + clientId + " advertised keys; threshold " + t + " needs " + (t - 1));
      }
      byte[] sid = Transcript.sessionId(session.start, modelHash, dir);
      Secret b = Secret.random(random);
      List<Integer> holders = new ArrayList<>(liveNeighbours);
      holders.add(clientId);
      List<Share> bShares = ShamirSharing.split(b, t, holders, random);
      List<Share> skShares = ShamirSharing.split(maskingKey.privateKey(), t, holders, random);
      List<EncryptedShare> sealed = new ArrayList<>(liveNeighbours.size());
      for (int i = 0; i < liveNeighbours.size(); i++) {
        int v = liveNeighbours.get(i);
        Secret pairKey =
            encryptionKey.agree(byId.get(v).encryptionKey(), new KeyContext(Purpose.SHARE_ENCRYPTION, sid, clientId, v));
        shareKeysByNeighbour.put(v, pairKey);
        ShareEncryptor enc = new AesGcmShareEncryptor(pairKey, random);
        byte[] plain = Transcript.sharePlaintext(clientId, v, bShares.get(i).encodedY(), skShares.get(i).encodedY());
        sealed.add(new EncryptedShare(clientId, v, enc.seal(plain, Transcript.shareAad(clientId, v, dir.roundId(), sid))));
      }
      this.directory = byId;
      this.sessionId = sid;
      this.selfMaskSeed = b;
      this.ownSelfMaskShare = bShares.get(liveNeighbours.size());
      state = State.SHARED;
      return new ShareKeys(dir.roundId(), sid, clientId, sealed);
    });
  }

  // ---------------------------------------------------------------- phase 2: MaskedInput

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
    checkRound(bundle.roundId());
    expect(State.SHARED, "ShareBundle");
    checkSession(bundle.sessionId());
    return guarded(() -> {
      int m = session.start.vectorLength();
      int bw = session.start.bitWidth();
      if (input.length != m) {
        throw new IllegalArgumentException("input has " + input.length + " words, round expects " + m);
      }
      if (bw < 32) {
        for (int i = 0; i < m; i++) {
          if ((input[i] >>> bw) != 0) {
            throw new IllegalArgumentException("input word " + i + " exceeds " + bw + " bits");
          }
        }
      }
      if (bundle.recipient() != clientId) {
        throw new InvalidMessageException("bundle addressed to " + bundle.recipient() + ", not " + clientId);
      }
      Set<Integer> u2 = new HashSet<>();
      for (int v : bundle.shareSenders()) {
        if (!directory.containsKey(v)) {
          throw new InvalidMessageException("share sender " + v + " never advertised keys");
        }
        u2.add(v);
      }
      if (!u2.contains(clientId)) {
        throw new InvalidMessageException("server did not accept the shares of client " + clientId);
      }
      Map<Integer, Share[]> received = new TreeMap<>();
      for (EncryptedShare es : bundle.shares()) {
        int v = es.from();
        if (!session.graph.adjacent(clientId, v) || !u2.contains(v)) {
          throw new InvalidMessageException("share from " + v + " who is not a neighbour in U2");
        }
        if (received.containsKey(v)) {
          throw new InvalidMessageException("two shares from client " + v);
        }
        received.put(v, open(es));
      }
      for (int v : neighbours) {
        if (u2.contains(v) && !received.containsKey(v)) {
          throw new InvalidMessageException("neighbour " + v + " is in U2 but its share is missing");
        }
      }
      int t = session.parameters.threshold();
      if (received.size() + 1 < t) {
        throw new TooFewSurvivorsException("only " + received.size() + " neighbours of client " + clientId
            + " shared keys; threshold " + t);
      }
      List<MaskTerm> terms = new ArrayList<>(received.size() + 1);
      terms.add(new MaskTerm(selfMaskSeed, false));
      for (int v : received.keySet()) {
        Secret s = maskingKey.agree(directory.get(v).maskingKey(),
            new KeyContext(Purpose.PAIRWISE_MASK, sessionId, clientId, v));
        terms.add(new MaskTerm(s, v < clientId));
      }
      int[] y = input.clone();
      ParallelMasking.apply(maskGenerator, terms, y, pool);
      if (bw < 32) {
        int mask = (1 << bw) - 1;
        for (int i = 0; i < m; i++) {
          y[i] &= mask;
        }
      }
      heldShares.putAll(received);
      state = State.MASKED;
      return new MaskedInput(session.start.roundId(), sessionId, clientId, bw, y);
    });
  }

  private Share[] open(EncryptedShare es) {
    int v = es.from();
    Secret pairKey = shareKeysByNeighbour.get(v);
    if (pairKey == null) {
      throw new InvalidMessageException("no share key with client " + v + " (it did not advertise)");
    }
    ShareEncryptor enc = new AesGcmShareEncryptor(pairKey, random);
    byte[] plain;
    try {
      plain = enc.open(es.ciphertext(), Transcript.shareAad(v, clientId, session.start.roundId(), sessionId));
    } catch (ShareEncryptor.AuthenticationFailedException e) {
      throw new ShareDecryptionException(v, clientId, e);
    }
    if (plain.length != Transcript.SHARE_PLAINTEXT_LENGTH) {
      throw new InvalidMessageException("share plaintext from " + v + " has length " + plain.length);
    }
    ByteBuffer b = ByteBuffer.wrap(plain);
    if (b.getInt() != v || b.getInt() != clientId) {
      throw new InvalidMessageException("share plaintext from " + v + " names other parties");
    }
    byte[] bShare = new byte[33];
    byte[] skShare = new byte[33];
    b.get(bShare).get(skShare);
    try {
      return new Share[] {Share.decode(clientId, bShare), Share.decode(clientId, skShare)};
    } catch (IllegalArgumentException e) {
      throw new InvalidMessageException("share from " + v + " is not a field element", e);
    }
  }

  // ---------------------------------------------------------------- phase 3: ConsistencyCheck

  /**
   * Phase 3: checks the survivor list (contains this client, at least t clients, every listed
   * neighbour is one whose shares this client holds) and signs it.
   */
  public ConsistencySignature consistencyCheck(SurvivorList list) {
    checkRound(list.roundId());
    expect(State.MASKED, "SurvivorList");
    checkSession(list.sessionId());
    return guarded(() -> {
      int[] u3 = list.survivors();
      if (Arrays.binarySearch(u3, clientId) < 0) {
        throw new InconsistentSurvivorsException("survivor list omits this client " + clientId);
      }
      int t = session.parameters.threshold();
      if (u3.length < t) {
        throw new TooFewSurvivorsException(u3.length + " survivors is below the threshold " + t);
      }
      for (int v : u3) {
        if (!directory.containsKey(v)) {
          throw new InconsistentSurvivorsException("survivor " + v + " never advertised keys");
        }
        if (v != clientId && session.graph.adjacent(clientId, v) && !heldShares.containsKey(v)) {
          throw new InconsistentSurvivorsException("survivor " + v + " is a neighbour that never shared keys");
        }
      }
      byte[] sig = identity.sign(Transcript.survivors(list.roundId(), sessionId, u3));
      signedSurvivors = u3.clone();
      state = State.SIGNED;
      return new ConsistencySignature(list.roundId(), sessionId, clientId, sig);
    });
  }

  // ---------------------------------------------------------------- phase 4: Unmasking

  /**
   * Phase 4: checks the request and reveals, for each neighbour whose shares it holds, exactly one
   * share: the self-mask seed share if the neighbour is alive, the masking-key share if it
   * dropped; plus its own self-mask share. Refuses (and aborts) if a client is listed as both alive
   * and dropped, if {@code alive} differs from the list it signed, if a neighbour is in neither
   * list, or if fewer than t neighbours (itself included) validly signed the same list.
   */
  public UnmaskResponse unmask(UnmaskRequest req) {
    checkRound(req.roundId());
    expect(State.SIGNED, "UnmaskRequest");
    checkSession(req.sessionId());
    return guarded(() -> {
      if (req.recipient() != clientId) {
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
      if (!Arrays.equals(req.alive(), signedSurvivors)) {
        throw new InconsistentSurvivorsException("alive list differs from the survivor list this client signed");
      }
      Set<Integer> dropped = new HashSet<>();
      for (int v : req.dropped()) {
        dropped.add(v);
        if (session.graph.adjacent(clientId, v) && !heldShares.containsKey(v)) {
          throw new InconsistentSurvivorsException("dropped neighbour " + v + " never shared keys with this client");
        }
      }
      if (dropped.contains(clientId)) {
        throw new InconsistentSurvivorsException("this client is listed as dropped");
      }
      for (int v : heldShares.keySet()) {
        if (!alive.contains(v) && !dropped.contains(v)) {
          throw new InconsistentSurvivorsException("neighbour " + v + " is neither alive nor dropped");
        }
      }
      byte[] signedMessage = Transcript.survivors(req.roundId(), sessionId, signedSurvivors);
      Set<Integer> confirmed = new HashSet<>();
      for (SurvivorSignature s : req.signatures()) {
        int v = s.clientId();
        if (v != clientId && !session.graph.adjacent(clientId, v)) {
          continue; // not ours to check; the server sends only neighbours' signatures
        }
        if (!alive.contains(v)) {
          throw new InconsistentSurvivorsException("signature of " + v + " who is not in the survivor list");
        }
        if (!registry.verify(v, signedMessage, s.signature())) {
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
      out.add(new RevealedShare(clientId, SecretKind.SELF_MASK_SEED, ownSelfMaskShare.encodedY()));
      for (Map.Entry<Integer, Share[]> e : heldShares.entrySet()) {
        boolean isAlive = alive.contains(e.getKey());
        out.add(new RevealedShare(e.getKey(),
            isAlive ? SecretKind.SELF_MASK_SEED : SecretKind.MASKING_KEY,
            (isAlive ? e.getValue()[0] : e.getValue()[1]).encodedY()));
      }
      forgetSecrets();
      state = State.DONE;
      return new UnmaskResponse(req.roundId(), sessionId, clientId, out);
    });
  }

  // ---------------------------------------------------------------- helpers

  private void expect(State wanted, String message) {
    if (state != wanted) {
      throw new ProtocolStateException(
          "client " + clientId + " in state " + state + " cannot accept " + message + " (expects it in " + wanted + ")");
    }
  }

  private void checkRound(long roundId) {
    if (session == null) {
      throw new ProtocolStateException("client " + clientId + " has not received RoundStart yet");
    }
    if (roundId != session.start.roundId()) {
      throw new WrongSessionException(
          "message of round " + roundId + " in round " + session.start.roundId() + " (replay?)");
    }
  }

  private void checkSession(byte[] sid) {
    if (!MessageDigest.isEqual(sid, sessionId)) {
      throw new WrongSessionException("message of another session (replay or split view)");
    }
  }

  private <T> T guarded(java.util.function.Supplier<T> phase) {
    try {
      return phase.get();
    } catch (WrongSessionException | ProtocolStateException e) {
      throw e;
    } catch (RuntimeException e) {
      state = State.ABORTED;
      forgetSecrets();
      throw e;
    }
  }

  private void forgetSecrets() {
    if (selfMaskSeed != null) {
      selfMaskSeed.destroy();
    }
    heldShares.clear();
    shareKeysByNeighbour.values().forEach(Secret::destroy);
    shareKeysByNeighbour.clear();
    encryptionKey = null;
    maskingKey = null;
  }
}
