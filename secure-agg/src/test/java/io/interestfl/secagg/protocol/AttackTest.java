package io.interestfl.secagg.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.secagg.crypto.Ed25519Identity;
import io.interestfl.secagg.crypto.Sha256;
import io.interestfl.secagg.message.AdvertiseKeys;
import io.interestfl.secagg.message.ConsistencySignature;
import io.interestfl.secagg.message.EncryptedShare;
import io.interestfl.secagg.message.KeyDirectory;
import io.interestfl.secagg.message.MaskedInput;
import io.interestfl.secagg.message.ShareBundle;
import io.interestfl.secagg.message.ShareKeys;
import io.interestfl.secagg.message.SurvivorList;
import io.interestfl.secagg.message.UnmaskRequest;
import io.interestfl.secagg.message.UnmaskRequest.SurvivorSignature;
import io.interestfl.secagg.message.UnmaskResponse;
import io.interestfl.secagg.message.UnmaskResponse.RevealedShare;
import io.interestfl.secagg.message.UnmaskResponse.SecretKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each attack from the threat model, refused with its own exception. */
class AttackTest {
  private static Harness small() {
    return new Harness(SecAggParameters.complete(6, 4), 16, 32);
  }

  private static int[] concat(int[] a, int... b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    Arrays.sort(out);
    return out;
  }

  private static int[] without(int[] a, int x) {
    return Arrays.stream(a).filter(v -> v != x).toArray();
  }

  // ------------------------------------------------------------------ never both shares

  @Test
  void serverAskingBothSharesOfOneNeighbourIsRefused() {
    Harness h = small();
    h.drops = Map.of(h.cohort[5], Harness.Drop.MASK); // one real dropout so "dropped" is non-empty
    h.advertise().share().mask().consistency();
    int u = h.cohort[0];
    int victim = h.cohort[1]; // alive neighbour of u
    UnmaskRequest honest = h.requests.get(u);
    UnmaskRequest evil = new UnmaskRequest(honest.roundId(), honest.sessionId(), u, honest.alive(),
        concat(honest.dropped(), victim), honest.signatures());
    SecAggClient client = h.clients.get(u);
    BothSharesRequestedException e =
        assertThrows(BothSharesRequestedException.class, () -> client.unmask(Harness.wire(evil)));
    assertTrue(e.getMessage().contains("client " + victim), e.getMessage());
    assertEquals(SecAggClient.State.ABORTED, client.state());
    // Once aborted, even the honest request gets nothing.
    assertThrows(ProtocolStateException.class, () -> client.unmask(honest));
  }

  @Test
  void serverCannotCollectSelfMaskShareOfAClientItClaimsDropped() {
    // Moving a survivor to "dropped" (to get its masking key) contradicts the signed list.
    Harness h = small();
    h.advertise().share().mask().consistency();
    int u = h.cohort[0];
    int victim = h.cohort[2];
    UnmaskRequest honest = h.requests.get(u);
    UnmaskRequest evil = new UnmaskRequest(honest.roundId(), honest.sessionId(), u,
        without(honest.alive(), victim), concat(honest.dropped(), victim), honest.signatures());
    assertThrows(InconsistentSurvivorsException.class, () -> h.clients.get(u).unmask(evil));
    assertEquals(SecAggClient.State.ABORTED, h.clients.get(u).state());
  }

  // ------------------------------------------------------------------ consistency check

  @Test
  void splitSurvivorViewsAreDetectedByTheConsistencyCheck() {
    Harness h = small();
    h.advertise().share().mask();
    SurvivorList real = h.survivorList;
    int victim = h.cohort[3];
    // The server shows client 0 a list without the victim, everybody else the real list.
    SurvivorList fake = new SurvivorList(real.roundId(), real.sessionId(), without(real.survivors(), victim));
    int u = h.cohort[0];
    ConsistencySignature uSig = h.clients.get(u).consistencyCheck(fake);
    List<SurvivorSignature> sigs = new ArrayList<>();
    sigs.add(new SurvivorSignature(u, uSig.signature()));
    for (int v : real.survivors()) {
      if (v != u) {
        sigs.add(new SurvivorSignature(v, h.clients.get(v).consistencyCheck(real).signature()));
      }
    }
    // Request consistent with what u signed, but the neighbours' signatures are over the other list.
    UnmaskRequest req = new UnmaskRequest(real.roundId(), real.sessionId(), u, fake.survivors(),
        new int[] {victim}, sigs);
    InvalidSignatureException e = assertThrows(InvalidSignatureException.class, () -> h.clients.get(u).unmask(req));
    assertTrue(e.clientId() != u);
    // And a request that simply drops the others' signatures has too few confirmations.
    UnmaskRequest lonely = new UnmaskRequest(real.roundId(), real.sessionId(), h.cohort[1], real.survivors(),
        new int[0], List.of(sigs.get(1)));
    assertThrows(InconsistentSurvivorsException.class, () -> h.clients.get(h.cohort[1]).unmask(lonely));
  }

  @Test
  void unmaskRequestWithAliveListDifferentFromSignedIsRefused() {
    Harness h = small();
    h.drops = Map.of(h.cohort[4], Harness.Drop.MASK);
    h.advertise().share().mask().consistency();
    int u = h.cohort[0];
    UnmaskRequest honest = h.requests.get(u);
    // Claim the dropped client was alive: the server would get its self-mask share too.
    UnmaskRequest evil = new UnmaskRequest(honest.roundId(), honest.sessionId(), u,
        concat(honest.alive(), h.cohort[4]), new int[0], honest.signatures());
    assertThrows(InconsistentSurvivorsException.class, () -> h.clients.get(u).unmask(evil));
  }

  // ------------------------------------------------------------------ replay

  @Test
  void messagesFromAnEarlierRoundAreRejected() {
    Harness old = new Harness(SecAggParameters.complete(4, 3), 8, 32, 41L);
    old.advertise().share();
    Harness now = new Harness(SecAggParameters.complete(4, 3), 8, 32, 42L);
    now.advertise();
    SecAggClient c = old.clients.get(old.cohort[0]);
    // Server of round 42 gets a round-41 message.
    AdvertiseKeys stale = new SecAggClient(now.cohort[0], now.identities.get(now.cohort[0]), now.registry,
        Harness.RANDOM).advertiseKeys(old.start, now.modelHash);
    assertThrows(WrongSessionException.class, () -> now.server.receive(stale));
    // Client of round 41 gets the round-42 directory: rejected, state unchanged.
    assertThrows(WrongSessionException.class, () -> c.shareKeys(now.directory));
    assertEquals(SecAggClient.State.SHARED, c.state());
  }

  @Test
  void messagesFromAnotherSessionOfTheSameRoundAreRejected() {
    // Same round id, same clients and identities, two sessions (e.g. the server restarted the round).
    Harness a = new Harness(SecAggParameters.complete(4, 3), 8, 32, 7L);
    a.advertise().share();
    SecAggServer b = new SecAggServer(7L, a.cohort, SecAggParameters.complete(4, 3), 8, 32, a.registry,
        a.modelHash, Harness.RANDOM);
    // An AdvertiseKeys of session A replayed into session B: signed over A's round start (other seed).
    int u = a.cohort[0];
    AdvertiseKeys replayed = a.directory.entries().get(0);
    assertThrows(InvalidSignatureException.class, () -> b.receive(replayed));
    // A session-A ShareBundle delivered to the client after it moved on: other session id.
    ShareBundle bundleA = a.bundles.get(u);
    Harness a2 = new Harness(SecAggParameters.complete(4, 3), 8, 32, 7L);
    a2.advertise().share();
    ShareBundle foreign = new ShareBundle(7L, a2.bundles.get(a2.cohort[0]).sessionId(), u,
        bundleA.shareSenders(), bundleA.shares());
    assertThrows(WrongSessionException.class, () -> a.clients.get(u).maskInput(foreign, a.inputs.get(u)));
    assertEquals(SecAggClient.State.SHARED, a.clients.get(u).state());
    // The server rejects client messages carrying another session id.
    MaskedInput alien = new MaskedInput(7L, a2.server.sessionId(), u, 32, new int[8]);
    assertThrows(WrongSessionException.class, () -> a.server.receive(alien));
  }

  @Test
  void oldEncryptedShareRelabelledIntoTheNewSessionFailsAuthentication() {
    Harness old = new Harness(SecAggParameters.complete(4, 3), 8, 32, 9L);
    old.advertise().share();
    Harness now = new Harness(SecAggParameters.complete(4, 3), 8, 32, 9L);
    now.advertise().share();
    int u = now.cohort[0];
    ShareBundle current = now.bundles.get(u);
    // Swap in a ciphertext from the old session (same sender/receiver ids, same round id).
    List<EncryptedShare> shares = new ArrayList<>();
    for (EncryptedShare s : current.shares()) {
      EncryptedShare replay = old.bundles.get(u).shares().stream().filter(o -> o.from() == s.from()).findFirst().orElseThrow();
      shares.add(shares.isEmpty() ? replay : s);
    }
    ShareBundle evil = new ShareBundle(9L, current.sessionId(), u, current.shareSenders(), shares);
    ShareDecryptionException e = assertThrows(ShareDecryptionException.class,
        () -> now.clients.get(u).maskInput(evil, now.inputs.get(u)));
    assertEquals(u, e.to());
    assertEquals(SecAggClient.State.ABORTED, now.clients.get(u).state());
  }

  // ------------------------------------------------------------------ model inconsistency

  @Test
  void clientWithADifferentGlobalModelIsRejectedByAnHonestServer() {
    Harness h = small();
    int odd = h.cohort[2];
    byte[] otherModel = Sha256.hash("tampered global model".getBytes());
    AdvertiseKeys a = h.clients.get(odd).advertiseKeys(h.server.roundStart(), otherModel);
    InvalidSignatureException e = assertThrows(InvalidSignatureException.class, () -> h.server.receive(a));
    assertEquals(odd, e.clientId());
  }

  @Test
  void maliciousServerSendingDifferentModelsCannotGetACancellingSum() {
    Harness h = small();
    int odd = h.cohort[2];
    byte[] otherModel = Sha256.hash("model with a backdoor".getBytes());
    // The server relays everything without checking (it is the attacker).
    List<AdvertiseKeys> ads = new ArrayList<>();
    for (int id : h.cohort) {
      ads.add(h.clients.get(id).advertiseKeys(h.server.roundStart(), id == odd ? otherModel : h.modelHash));
    }
    KeyDirectory dir = new KeyDirectory(h.server.roundStart().roundId(), ads);
    int failures = 0;
    for (int id : h.cohort) {
      try {
        h.clients.get(id).shareKeys(dir);
      } catch (InvalidSignatureException e) {
        failures++;
        assertEquals(SecAggClient.State.ABORTED, h.clients.get(id).state());
      }
    }
    // Every neighbour of the odd client and the odd client itself refuse: the keys were signed
    // together with another model hash, so the session ids cannot match.
    assertEquals(h.cohort.length, failures);
  }

  @Test
  void differentModelHashGivesDifferentSessionIdsSoSharesDoNotDecryptAndMasksDoNotCancel()
      throws Exception {
    // Below the signature layer: if two clients disagree on the model, their session ids differ,
    // so the pairwise AES key and the pairwise mask seed differ. A share sealed by one does not
    // open for the other (AEAD tag mismatch) and their pairwise masks would not cancel.
    Harness h = small();
    h.advertise();
    byte[] sidA = Transcript.sessionId(h.start, h.modelHash, h.directory);
    byte[] sidB = Transcript.sessionId(h.start, Sha256.hash("other model".getBytes()), h.directory);
    assertFalse(Arrays.equals(sidA, sidB));
    var ka = io.interestfl.secagg.crypto.X25519KeyAgreement.generate(Harness.RANDOM);
    var kb = io.interestfl.secagg.crypto.X25519KeyAgreement.generate(Harness.RANDOM);
    var purpose = io.interestfl.secagg.crypto.KeyContext.Purpose.SHARE_ENCRYPTION;
    var keyA = ka.agree(kb.publicKey(), new io.interestfl.secagg.crypto.KeyContext(purpose, sidA, 1, 2));
    var keyB = kb.agree(ka.publicKey(), new io.interestfl.secagg.crypto.KeyContext(purpose, sidB, 2, 1));
    var sealed = new io.interestfl.secagg.crypto.AesGcmShareEncryptor(keyA, Harness.RANDOM)
        .seal(new byte[74], Transcript.shareAad(1, 2, 1000L, sidA));
    assertThrows(io.interestfl.secagg.crypto.ShareEncryptor.AuthenticationFailedException.class,
        () -> new io.interestfl.secagg.crypto.AesGcmShareEncryptor(keyB, Harness.RANDOM)
            .open(sealed, Transcript.shareAad(1, 2, 1000L, sidB)));
    var mask = io.interestfl.secagg.crypto.KeyContext.Purpose.PAIRWISE_MASK;
    assertFalse(ka.agree(kb.publicKey(), new io.interestfl.secagg.crypto.KeyContext(mask, sidA, 1, 2))
        .equals(kb.agree(ka.publicKey(), new io.interestfl.secagg.crypto.KeyContext(mask, sidB, 2, 1))));
  }

  // ------------------------------------------------------------------ forged signatures

  @Test
  void forgedAdvertisementSignatureIsRejectedByServerAndClients() {
    Harness h = small();
    int victim = h.cohort[1];
    Ed25519Identity mallory = Ed25519Identity.generate(Harness.RANDOM);
    SecAggClient impostor = new SecAggClient(victim, mallory, h.registry, Harness.RANDOM);
    AdvertiseKeys forged = impostor.advertiseKeys(h.server.roundStart(), h.modelHash);
    assertThrows(InvalidSignatureException.class, () -> h.server.receive(forged));

    // Server-side man in the middle: substitute the victim's masking key in the directory.
    h.advertise();
    List<AdvertiseKeys> entries = new ArrayList<>(h.directory.entries());
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).clientId() == victim) {
        AdvertiseKeys e = entries.get(i);
        entries.set(i, new AdvertiseKeys(e.roundId(), victim, e.encryptionKey(), forged.maskingKey(), e.signature()));
      }
    }
    KeyDirectory evil = new KeyDirectory(h.directory.roundId(), entries);
    InvalidSignatureException e = assertThrows(InvalidSignatureException.class,
        () -> h.clients.get(h.cohort[0]).shareKeys(evil));
    assertEquals(victim, e.clientId());
  }

  @Test
  void forgedConsistencySignatureIsRejected() {
    Harness h = small();
    h.advertise().share().mask();
    int u = h.cohort[0];
    ConsistencySignature real = h.clients.get(u).consistencyCheck(h.survivorList);
    byte[] sig = real.signature().clone();
    sig[10] ^= 1;
    assertThrows(InvalidSignatureException.class,
        () -> h.server.receive(new ConsistencySignature(real.roundId(), real.sessionId(), u, sig)));
    h.server.receive(real); // the genuine one is still accepted
  }

  // ------------------------------------------------------------------ misdirected share

  @Test
  void shareEncryptedForSomeoneElseFailsAuthentication() {
    Harness h = small();
    h.advertise().share();
    int u = h.cohort[0];
    int w = h.cohort[1];
    ShareBundle mine = h.bundles.get(u);
    // A share that client cohort[2] sealed for w, relabelled as addressed to u.
    EncryptedShare forW = h.bundles.get(w).shares().stream().filter(s -> s.from() == h.cohort[2]).findFirst().orElseThrow();
    List<EncryptedShare> shares = new ArrayList<>();
    for (EncryptedShare s : mine.shares()) {
      shares.add(s.from() == h.cohort[2] ? new EncryptedShare(s.from(), u, forW.ciphertext()) : s);
    }
    ShareBundle evil = new ShareBundle(mine.roundId(), mine.sessionId(), u, mine.shareSenders(), shares);
    ShareDecryptionException e =
        assertThrows(ShareDecryptionException.class, () -> h.clients.get(u).maskInput(evil, h.inputs.get(u)));
    assertEquals(h.cohort[2], e.from());
    assertEquals(u, e.to());
  }

  // ------------------------------------------------------------------ out of order

  @Test
  void outOfOrderMessagesAreRejectedWithoutStateChange() {
    Harness h = small();
    SecAggClient c = h.clients.get(h.cohort[0]);
    h.advertise();
    // Client: a second RoundStart, then a survivor list before shares.
    assertThrows(ProtocolStateException.class, () -> c.advertiseKeys(h.start, h.modelHash));
    SurvivorList early = new SurvivorList(h.start.roundId(), new byte[32], h.cohort);
    assertThrows(ProtocolStateException.class, () -> c.consistencyCheck(early));
    assertEquals(SecAggClient.State.ADVERTISED, c.state());
    // Server: a masked input while collecting shares; a duplicate ShareKeys.
    MaskedInput m = new MaskedInput(h.start.roundId(), h.server.sessionId(), h.cohort[0], 32, new int[16]);
    assertThrows(ProtocolStateException.class, () -> h.server.receive(m));
    ShareKeys s = c.shareKeys(h.directory);
    h.server.receive(s);
    assertThrows(ProtocolStateException.class, () -> h.server.receive(s));
    assertEquals(SecAggServer.Phase.SHARE_KEYS, h.server.phase());
    assertThrows(ProtocolStateException.class, () -> h.server.finish());
  }

  @Test
  void clientRevealingTheWrongSecretIsRejectedByTheServer() {
    Harness h = small();
    h.drops = Map.of(h.cohort[5], Harness.Drop.MASK);
    h.advertise().share().mask().consistency();
    int u = h.cohort[0];
    UnmaskResponse real = h.clients.get(u).unmask(h.requests.get(u));
    List<RevealedShare> shares = new ArrayList<>(real.shares());
    RevealedShare first = shares.stream().filter(s -> s.owner() != u).findFirst().orElseThrow();
    shares.set(shares.indexOf(first), new RevealedShare(first.owner(),
        first.kind() == SecretKind.SELF_MASK_SEED ? SecretKind.MASKING_KEY : SecretKind.SELF_MASK_SEED, first.share()));
    assertThrows(InvalidMessageException.class,
        () -> h.server.receive(new UnmaskResponse(real.roundId(), real.sessionId(), u, shares)));
    h.server.receive(real);
  }

  @Test
  void roundStillCompletesAfterRejectedAttackMessages() {
    Harness h = small();
    h.advertise().share().mask();
    int u = h.cohort[0];
    ConsistencySignature real = h.clients.get(u).consistencyCheck(h.survivorList);
    byte[] sig = real.signature().clone();
    sig[0] ^= 1;
    assertThrows(InvalidSignatureException.class,
        () -> h.server.receive(new ConsistencySignature(real.roundId(), real.sessionId(), u, sig)));
    h.server.receive(real);
    for (int id : h.survivorList.survivors()) {
      if (id != u) {
        h.server.receive(h.clients.get(id).consistencyCheck(h.survivorList));
      }
    }
    h.requests = h.server.closeConsistencyCheck();
    h.unmask();
    assertArrayEquals(h.expectedSum(h.server.survivors()), h.server.finish());
  }
}
