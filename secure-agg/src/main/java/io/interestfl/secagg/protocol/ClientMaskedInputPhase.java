package io.interestfl.secagg.protocol;

import io.interestfl.secagg.crypto.AesGcmShareEncryptor;
import io.interestfl.secagg.crypto.AesCtrMaskGenerator;
import io.interestfl.secagg.crypto.KeyContext;
import io.interestfl.secagg.crypto.KeyContext.Purpose;
import io.interestfl.secagg.crypto.Secret;
import io.interestfl.secagg.crypto.ShamirSharing.Share;
import io.interestfl.secagg.crypto.ShareEncryptor;
import io.interestfl.secagg.masking.MaskTerm;
import io.interestfl.secagg.masking.ParallelMasking;
import io.interestfl.secagg.message.EncryptedShare;
import io.interestfl.secagg.message.MaskedInput;
import io.interestfl.secagg.message.ShareBundle;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;

/**
 * A client's phase 2, MaskedInputCollection (Bonawitz et al. 2017, round 2; in SecAgg+, Bell et
 * al. 2020, pairwise masks with graph neighbours only).
 *
 * <ul>
 *   <li><b>Receives</b> its {@link ShareBundle}{@code (roundId, sid, u, U2, shares addressed to u)}
 *       and its quantized input x_u (m words in [0, 2^b)).
 *   <li><b>Checks</b> the input's shape, that the bundle is addressed to u, every sender in U2
 *       advertised keys and u itself is in U2; opens every share (AES-GCM failure: {@link
 *       ShareDecryptionException}) and checks it names (sender, u) and holds two field elements;
 *       every neighbour in U2 sent exactly one share, nobody else sent any, and at least t − 1 did.
 *   <li><b>Sends</b> {@link MaskedInput}{@code (roundId, sid, u, b, y_u)} with y_u = x_u + PRG(b_u) +
 *       Σ_{v ∈ N2(u), v &gt; u} PRG(s_uv) − Σ_{v ∈ N2(u), v &lt; u} PRG(s_uv) modulo 2^b, N2(u) =
 *       u's neighbours in U2, s_uv agreed from s_u^SK and s_v^PK.
 *   <li><b>Keeps</b> the shares it holds for each neighbour in U2: (share of b_v, share of s_v^SK),
 *       of which phase 4 reveals exactly one.
 * </ul>
 */
final class ClientMaskedInputPhase {
  /** Neighbour → its shares held by this client: [self-mask seed, masking key]. */
  final Map<Integer, Share[]> heldShares = new TreeMap<>();
  private final MaskedInput reply;

  /** Runs phase 2 with what phases 0 and 1 kept; throws (and keeps nothing) on any failed check. */
  ClientMaskedInputPhase(ClientContext me, ClientAdvertiseKeysPhase keys, ClientShareKeysPhase shared,
      ShareBundle bundle, int[] input, ExecutorService pool) {
    Session session = keys.session;
    int u = me.id();
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
    if (bundle.recipient() != u) {
      throw new InvalidMessageException("bundle addressed to " + bundle.recipient() + ", not " + u);
    }
    Set<Integer> u2 = new HashSet<>();
    for (int v : bundle.shareSenders()) {
      if (!shared.directory.containsKey(v)) {
        throw new InvalidMessageException("share sender " + v + " never advertised keys");
      }
      u2.add(v);
    }
    if (!u2.contains(u)) {
      throw new InvalidMessageException("server did not accept the shares of client " + u);
    }
    Map<Integer, Share[]> received = new TreeMap<>();
    for (EncryptedShare es : bundle.shares()) {
      int v = es.from();
      if (!session.graph.adjacent(u, v) || !u2.contains(v)) {
        throw new InvalidMessageException("share from " + v + " who is not a neighbour in U2");
      }
      if (received.containsKey(v)) {
        throw new InvalidMessageException("two shares from client " + v);
      }
      received.put(v, open(me, session, shared, es));
    }
    for (int v : keys.neighbours) {
      if (u2.contains(v) && !received.containsKey(v)) {
        throw new InvalidMessageException("neighbour " + v + " is in U2 but its share is missing");
      }
    }
    int t = session.parameters.threshold();
    if (received.size() + 1 < t) {
      throw new TooFewSurvivorsException("only " + received.size() + " neighbours of client " + u
          + " shared keys; threshold " + t);
    }
    List<MaskTerm> terms = new ArrayList<>(received.size() + 1);
    terms.add(new MaskTerm(shared.selfMaskSeed(), false));
    for (int v : received.keySet()) {
      Secret s = keys.maskingKey().agree(shared.directory.get(v).maskingKey(),
          new KeyContext(Purpose.PAIRWISE_MASK, shared.sessionId, u, v));
      terms.add(new MaskTerm(s, v < u));
    }
    int[] y = input.clone();
    ParallelMasking.apply(new AesCtrMaskGenerator(), terms, y, pool);
    session.reduceModuloB(y);
    heldShares.putAll(received);
    reply = new MaskedInput(session.start.roundId(), shared.sessionId, u, bw, y);
  }

  /** The phase-2 reply. */
  MaskedInput reply() {
    return reply;
  }

  /** Drops the held shares. */
  void forget() {
    heldShares.clear();
  }

  /** Opens neighbour v's sealed share pair for this client. */
  private static Share[] open(ClientContext me, Session session, ClientShareKeysPhase shared, EncryptedShare es) {
    int v = es.from();
    int u = me.id();
    Secret pairKey = shared.pairKey(v);
    if (pairKey == null) {
      throw new InvalidMessageException("no share key with client " + v + " (it did not advertise)");
    }
    ShareEncryptor enc = new AesGcmShareEncryptor(pairKey, me.random());
    byte[] plain;
    try {
      plain = enc.open(es.ciphertext(), Transcript.shareAad(v, u, session.start.roundId(), shared.sessionId));
    } catch (ShareEncryptor.AuthenticationFailedException e) {
      throw new ShareDecryptionException(v, u, e);
    }
    if (plain.length != Transcript.SHARE_PLAINTEXT_LENGTH) {
      throw new InvalidMessageException("share plaintext from " + v + " has length " + plain.length);
    }
    ByteBuffer b = ByteBuffer.wrap(plain);
    if (b.getInt() != v || b.getInt() != u) {
      throw new InvalidMessageException("share plaintext from " + v + " names other parties");
    }
    byte[] bShare = new byte[33];
    byte[] skShare = new byte[33];
    b.get(bShare).get(skShare);
    try {
      return new Share[] {Share.decode(u, bShare), Share.decode(u, skShare)};
    } catch (IllegalArgumentException e) {
      throw new InvalidMessageException("share from " + v + " is not a field element", e);
    }
  }
}
