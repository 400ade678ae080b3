package io.interestfl.secagg.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.interestfl.secagg.message.UnmaskRequest.SurvivorSignature;
import io.interestfl.secagg.message.UnmaskResponse.RevealedShare;
import io.interestfl.secagg.message.UnmaskResponse.SecretKind;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class MessageCodecTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private static AdvertiseKeys advertise(int id) {
    return new AdvertiseKeys(5, id, bytes(32), bytes(32), bytes(64));
  }

  static List<Object[]> samples() {
    byte[] sid = bytes(32);
    EncryptedShare es = new EncryptedShare(3, 4, bytes(102));
    int[] vector = new int[37];
    for (int i = 0; i < vector.length; i++) {
      vector[i] = RANDOM.nextInt() & ((1 << 21) - 1);
    }
    return List.of(
        new Object[] {new RoundStart(5, new int[] {1, 4, 9}, 2, 2, 24, 1000, bytes(32)),
            (Function<byte[], Object>) RoundStart::fromBytes},
        new Object[] {advertise(4), (Function<byte[], Object>) AdvertiseKeys::fromBytes},
        new Object[] {new KeyDirectory(5, List.of(advertise(1), advertise(4), advertise(9))),
            (Function<byte[], Object>) KeyDirectory::fromBytes},
        new Object[] {new ShareKeys(5, sid, 3, List.of(es)), (Function<byte[], Object>) ShareKeys::fromBytes},
        new Object[] {new ShareBundle(5, sid, 4, new int[] {1, 3, 4}, List.of(es)),
            (Function<byte[], Object>) ShareBundle::fromBytes},
        new Object[] {new MaskedInput(5, sid, 4, 21, vector), (Function<byte[], Object>) MaskedInput::fromBytes},
        new Object[] {new SurvivorList(5, sid, new int[] {1, 4}), (Function<byte[], Object>) SurvivorList::fromBytes},
        new Object[] {new ConsistencySignature(5, sid, 4, bytes(64)),
            (Function<byte[], Object>) ConsistencySignature::fromBytes},
        new Object[] {new UnmaskRequest(5, sid, 4, new int[] {1, 4}, new int[] {9},
            List.of(new SurvivorSignature(1, bytes(64)))), (Function<byte[], Object>) UnmaskRequest::fromBytes},
        new Object[] {new UnmaskResponse(5, sid, 4, List.of(new RevealedShare(1, SecretKind.SELF_MASK_SEED, bytes(33)),
            new RevealedShare(9, SecretKind.MASKING_KEY, bytes(33)))), (Function<byte[], Object>) UnmaskResponse::fromBytes});
  }

  private static byte[] encode(Object m) {
    return m instanceof ServerMessage s ? s.toBytes() : ((ClientMessage) m).toBytes();
  }

  @Test
  void everyMessageRoundTrips() {
    for (Object[] s : samples()) {
      byte[] enc = encode(s[0]);
      @SuppressWarnings("unchecked")
      Object back = ((Function<byte[], Object>) s[1]).apply(enc);
      assertArrayEquals(enc, encode(back), s[0].getClass().getSimpleName());
      Object generic = s[0] instanceof ServerMessage ? ServerMessage.fromBytes(enc) : ClientMessage.fromBytes(enc);
      assertEquals(s[0].getClass(), generic.getClass());
    }
  }

  @Test
  void maskedInputPacksEveryBitWidthExactly() {
    for (int b = 1; b <= 32; b++) {
      int[] v = new int[1 + RANDOM.nextInt(100)];
      for (int i = 0; i < v.length; i++) {
        v[i] = b == 32 ? RANDOM.nextInt() : RANDOM.nextInt() & ((1 << b) - 1);
      }
      MaskedInput m = new MaskedInput(1, new byte[32], 2, b, v);
      byte[] enc = m.toBytes();
      assertEquals(MaskedInput.encodedLength(v.length, b), enc.length);
      assertArrayEquals(v, MaskedInput.fromBytes(enc).vector(), "b=" + b);
    }
    assertThrows(IllegalArgumentException.class, () -> new MaskedInput(1, new byte[32], 2, 4, new int[] {16}));
  }

  @Test
  void everyTruncationIsRejected() {
    for (Object[] s : samples()) {
      byte[] enc = encode(s[0]);
      @SuppressWarnings("unchecked")
      Function<byte[], Object> decoder = (Function<byte[], Object>) s[1];
      for (int len = 0; len < enc.length; len++) {
        byte[] cut = Arrays.copyOf(enc, len);
        assertThrows(MalformedMessageException.class, () -> decoder.apply(cut),
            s[0].getClass().getSimpleName() + " truncated to " + len);
      }
      byte[] longer = Arrays.copyOf(enc, enc.length + 1);
      assertThrows(MalformedMessageException.class, () -> decoder.apply(longer), "trailing byte");
      assertThrows(MalformedMessageException.class, () -> decoder.apply(null));
    }
  }

  @Test
  void headerAndLengthCorruptionsAreRejected() {
    for (Object[] s : samples()) {
      byte[] enc = encode(s[0]);
      @SuppressWarnings("unchecked")
      Function<byte[], Object> decoder = (Function<byte[], Object>) s[1];
      for (int i = 0; i < 4; i++) {
        byte[] bad = enc.clone();
        bad[i] ^= 0x40;
        assertThrows(MalformedMessageException.class, () -> decoder.apply(bad), "header byte " + i);
      }
    }
    // Negative and huge lengths in a list prefix (KeyDirectory entries count right after round id).
    byte[] dir = new KeyDirectory(5, List.of(advertise(1))).toBytes();
    for (int len : new int[] {-1, Integer.MAX_VALUE, 2}) {
      byte[] bad = dir.clone();
      ByteBuffer.wrap(bad).putInt(12, len);
      assertThrows(MalformedMessageException.class, () -> KeyDirectory.fromBytes(bad), "length " + len);
    }
    assertThrows(MalformedMessageException.class, () -> ServerMessage.fromBytes(new byte[] {'S', 'A', 1, 99}));
    assertThrows(MalformedMessageException.class, () -> ClientMessage.fromBytes(new byte[] {'S', 'A', 1, 1}));
  }

  @Test
  void randomMutationsNeverEscapeAsOtherExceptions() {
    for (Object[] s : samples()) {
      byte[] enc = encode(s[0]);
      @SuppressWarnings("unchecked")
      Function<byte[], Object> decoder = (Function<byte[], Object>) s[1];
      for (int trial = 0; trial < 400; trial++) {
        byte[] bad = enc.clone();
        int flips = 1 + RANDOM.nextInt(4);
        for (int f = 0; f < flips; f++) {
          bad[RANDOM.nextInt(bad.length)] = (byte) RANDOM.nextInt();
        }
        try {
          decoder.apply(bad);
        } catch (MalformedMessageException expected) {
          // fine: rejected with the documented exception
        }
      }
      for (int trial = 0; trial < 200; trial++) {
        byte[] junk = bytes(RANDOM.nextInt(300));
        try {
          decoder.apply(junk);
        } catch (MalformedMessageException expected) {
          // fine
        }
      }
    }
  }

  @Test
  void semanticallyInvalidFieldsAreMalformed() {
    // Unsorted cohort, bad bit width, zero-length ciphertext, unknown secret kind.
    byte[] rs = new RoundStart(5, new int[] {1, 4}, 1, 2, 24, 10, bytes(32)).toBytes();
    ByteBuffer.wrap(rs).putInt(16, 7); // cohort[0] = 7 > cohort[1]
    assertThrows(MalformedMessageException.class, () -> RoundStart.fromBytes(rs));
    byte[] resp = new UnmaskResponse(5, bytes(32), 4, List.of(new RevealedShare(1, SecretKind.SELF_MASK_SEED, bytes(33)))).toBytes();
    resp[4 + 8 + 32 + 4 + 4 + 4] = 7; // kind byte
    assertThrows(MalformedMessageException.class, () -> UnmaskResponse.fromBytes(resp));
  }
}
