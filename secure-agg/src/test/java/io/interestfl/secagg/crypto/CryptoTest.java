package io.interestfl.secagg.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.secagg.crypto.ShamirSharing.Share;
import io.interestfl.secagg.masking.MaskTerm;
import io.interestfl.secagg.masking.ParallelMasking;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class CryptoTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void primeIsTheSmallestAbove2To256() {
    assertTrue(ShamirSharing.PRIME.isProbablePrime(100));
    assertEquals(257, ShamirSharing.PRIME.bitLength());
  }

  @Test
  void anyThresholdSubsetReconstructsAndFewerDoNot() {
    Secret s = Secret.random(RANDOM);
    List<Integer> holders = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      holders.add(5 * i + 1);
    }
    List<Share> shares = ShamirSharing.split(s, 5, holders, RANDOM);
    for (int trial = 0; trial < 20; trial++) {
      List<Share> copy = new ArrayList<>(shares);
      Collections.shuffle(copy, RANDOM);
      assertEquals(s, ShamirSharing.reconstruct(copy.subList(0, 5)));
      assertEquals(s, ShamirSharing.reconstruct(copy.subList(0, 7)));
      Secret wrong;
      try {
        wrong = ShamirSharing.reconstruct(copy.subList(0, 4));
      } catch (IllegalArgumentException e) {
        continue; // value above 2^256: also not the secret
      }
      assertNotEquals(s, wrong);
    }
    assertThrows(IllegalArgumentException.class, () -> ShamirSharing.split(s, 13, holders, RANDOM));
    assertThrows(IllegalArgumentException.class, () -> ShamirSharing.split(s, 2, List.of(1, 1, 2), RANDOM));
  }

  @Test
  void sharesRoundTripThroughTheirEncoding() {
    Secret s = Secret.random(RANDOM);
    List<Share> shares = ShamirSharing.split(s, 3, List.of(1, 2, 3, 4), RANDOM);
    List<Share> decoded = new ArrayList<>();
    for (Share sh : shares) {
      byte[] enc = sh.encodedY();
      assertEquals(ShamirSharing.SHARE_LENGTH, enc.length);
      decoded.add(Share.decode(sh.x(), enc));
    }
    assertEquals(s, ShamirSharing.reconstruct(decoded.subList(1, 4)));
    byte[] tooBig = new byte[33];
    java.util.Arrays.fill(tooBig, (byte) 0xFF);
    assertThrows(IllegalArgumentException.class, () -> Share.decode(1, tooBig));
  }

  @Test
  void x25519AgreementIsSymmetricAndContextBound() {
    X25519KeyAgreement a = X25519KeyAgreement.generate(RANDOM);
    X25519KeyAgreement b = X25519KeyAgreement.generate(RANDOM);
    byte[] sid = new byte[32];
    KeyContext ab = new KeyContext(KeyContext.Purpose.PAIRWISE_MASK, sid, 3, 9);
    KeyContext ba = new KeyContext(KeyContext.Purpose.PAIRWISE_MASK, sid, 9, 3);
    assertEquals(a.agree(b.publicKey(), ab), b.agree(a.publicKey(), ba));
    KeyContext enc = new KeyContext(KeyContext.Purpose.SHARE_ENCRYPTION, sid, 3, 9);
    assertNotEquals(a.agree(b.publicKey(), ab), a.agree(b.publicKey(), enc));
    byte[] sid2 = new byte[32];
    sid2[0] = 1;
    assertNotEquals(a.agree(b.publicKey(), ab), a.agree(b.publicKey(), new KeyContext(KeyContext.Purpose.PAIRWISE_MASK, sid2, 3, 9)));
    // A private key rebuilt from its (shared) encoding derives the same keys.
    X25519KeyAgreement a2 = X25519KeyAgreement.fromPrivateKey(a.privateKey());
    assertArrayEquals(a.publicKey(), a2.publicKey());
    assertEquals(a.agree(b.publicKey(), ab), a2.agree(b.publicKey(), ab));
    assertThrows(IllegalArgumentException.class, () -> a.agree(new byte[32], ab)); // low-order point
  }

  @Test
  void aesGcmBindsAssociatedData() throws Exception {
    AesGcmShareEncryptor e = new AesGcmShareEncryptor(Secret.random(RANDOM), RANDOM);
    byte[] sealed = e.seal("share".getBytes(), "aad".getBytes());
    assertArrayEquals("share".getBytes(), e.open(sealed, "aad".getBytes()));
    assertThrows(ShareEncryptor.AuthenticationFailedException.class, () -> e.open(sealed, "aae".getBytes()));
    sealed[sealed.length - 1] ^= 1;
    assertThrows(ShareEncryptor.AuthenticationFailedException.class, () -> e.open(sealed, "aad".getBytes()));
    assertThrows(ShareEncryptor.AuthenticationFailedException.class, () -> e.open(new byte[5], "aad".getBytes()));
  }

  @Test
  void ed25519SignAndVerify() {
    Ed25519Identity id = Ed25519Identity.generate(RANDOM);
    byte[] sig = id.sign("m".getBytes());
    SignatureVerifier v = Ed25519Identity.verifier(id.publicKey());
    assertTrue(v.verify("m".getBytes(), sig));
    assertFalse(v.verify("n".getBytes(), sig));
    assertFalse(v.verify("m".getBytes(), new byte[3]));
    assertFalse(Ed25519Identity.verifier(Ed25519Identity.generate(RANDOM).publicKey()).verify("m".getBytes(), sig));
  }

  @Test
  void maskExpansionIsIdenticalWhetherSlicedOrWhole() throws Exception {
    for (MaskGenerator g : List.of(new AesCtrMaskGenerator(), new ChaCha20MaskGenerator())) {
      slicedEqualsWhole(g);
    }
  }

  private static void slicedEqualsWhole(MaskGenerator g) throws Exception {
    Secret seed = Secret.random(RANDOM);
    int n = 100_003;
    int[] whole = new int[n];
    g.accumulate(seed, false, whole);
    int[] sliced = new int[n];
    int[] cuts = {0, 5, 16, 17, 40_000, 65_536, 99_999, n};
    for (int i = 0; i + 1 < cuts.length; i++) {
      g.accumulate(seed, false, sliced, cuts[i], cuts[i + 1]);
    }
    assertArrayEquals(whole, sliced);
    g.accumulate(seed, true, sliced);
    assertArrayEquals(new int[n], sliced);
    // Parallel application of several terms equals the sequential one.
    List<MaskTerm> terms = List.of(new MaskTerm(Secret.random(RANDOM), false), new MaskTerm(Secret.random(RANDOM), true),
        new MaskTerm(seed, false));
    int[] seq = new int[n];
    ParallelMasking.apply(g, terms, seq, null);
    int[] par = new int[n];
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      ParallelMasking.apply(g, terms, par, pool);
    } finally {
      pool.shutdown();
    }
    assertArrayEquals(seq, par);
  }

  @Test
  void maskIsChaCha20KeystreamRfc8439() throws Exception {
    // RFC 8439 section 2.4.2 key/nonce differ from ours; instead check against the JDK cipher directly.
    Secret seed = Secret.random(RANDOM);
    javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("ChaCha20");
    c.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(seed.bytes(), "ChaCha20"),
        new javax.crypto.spec.ChaCha20ParameterSpec("isecagg-mask".getBytes(), 0));
    byte[] ks = c.doFinal(new byte[64]);
    int[] words = new int[16];
    new ChaCha20MaskGenerator().accumulate(seed, false, words);
    for (int i = 0; i < 16; i++) {
      int expected = (ks[4 * i] & 0xFF) | (ks[4 * i + 1] & 0xFF) << 8 | (ks[4 * i + 2] & 0xFF) << 16 | (ks[4 * i + 3] & 0xFF) << 24;
      assertEquals(expected, words[i]);
    }
  }

  /**
   * The mask PRG is AES-256 of the counter blocks (label "isecaggM", 64-bit big-endian block index), checked against
   * AES in ECB mode block by block, also from an offset that is not on a block boundary.
   */
  @Test
  void maskIsAes256CounterModeKeystream() throws Exception {
    Secret seed = Secret.random(RANDOM);
    javax.crypto.Cipher ecb = javax.crypto.Cipher.getInstance("AES/ECB/NoPadding");
    ecb.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(seed.bytes(), "AES"));
    int blocks = 300;
    int[] expected = new int[blocks * 4];
    for (int b = 0; b < blocks; b++) {
      byte[] counter = new byte[16];
      System.arraycopy("isecaggM".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, counter, 0, 8);
      java.nio.ByteBuffer.wrap(counter, 8, 8).putLong(b);
      byte[] ks = ecb.doFinal(counter);
      for (int w = 0; w < 4; w++) {
        expected[4 * b + w] = (ks[4 * w] & 0xFF) | (ks[4 * w + 1] & 0xFF) << 8 | (ks[4 * w + 2] & 0xFF) << 16
            | (ks[4 * w + 3] & 0xFF) << 24;
      }
    }
    int[] words = new int[expected.length];
    new AesCtrMaskGenerator().accumulate(seed, false, words);
    assertArrayEquals(expected, words);
    int[] tail = new int[expected.length];
    new AesCtrMaskGenerator().accumulate(seed, false, tail, 1001, expected.length);
    for (int i = 1001; i < expected.length; i++) {
      assertEquals(expected[i], tail[i], "word " + i);
    }
  }
}
