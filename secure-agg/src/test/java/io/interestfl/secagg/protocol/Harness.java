package io.interestfl.secagg.protocol;

import io.interestfl.secagg.crypto.Ed25519Identity;
import io.interestfl.secagg.crypto.Sha256;
import io.interestfl.secagg.message.AdvertiseKeys;
import io.interestfl.secagg.message.ClientMessage;
import io.interestfl.secagg.message.ConsistencySignature;
import io.interestfl.secagg.message.KeyDirectory;
import io.interestfl.secagg.message.MaskedInput;
import io.interestfl.secagg.message.RoundStart;
import io.interestfl.secagg.message.ServerMessage;
import io.interestfl.secagg.message.ShareBundle;
import io.interestfl.secagg.message.ShareKeys;
import io.interestfl.secagg.message.SurvivorList;
import io.interestfl.secagg.message.UnmaskRequest;
import io.interestfl.secagg.message.UnmaskResponse;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** In-process round driver for tests; every message goes through toBytes/fromBytes. */
final class Harness {
  /** The phase whose reply a client fails to send (it vanishes from then on). */
  enum Drop { ADVERTISE, SHARE, MASK, CONSISTENCY, UNMASK }

  static final SecureRandom RANDOM = new SecureRandom();

  final int n;
  final int[] cohort;
  final Map<Integer, Ed25519Identity> identities = new TreeMap<>();
  final Map<Integer, byte[]> registry = new HashMap<>();
  final Map<Integer, SecAggClient> clients = new TreeMap<>();
  final Map<Integer, int[]> inputs = new TreeMap<>();
  final byte[] modelHash = Sha256.hash("global model v1".getBytes());
  final SecAggServer server;
  final int length;
  final int bitWidth;

  Harness(SecAggParameters params, int length, int bitWidth) {
    this(params, length, bitWidth, 1000L);
  }

  Harness(SecAggParameters params, int length, int bitWidth, long roundId) {
    this.n = params.cohortSize();
    this.length = length;
    this.bitWidth = bitWidth;
    cohort = new int[n];
    for (int i = 0; i < n; i++) {
      cohort[i] = 3 * i + 7; // non-contiguous ids
      Ed25519Identity id = Ed25519Identity.generate(RANDOM);
      identities.put(cohort[i], id);
      registry.put(cohort[i], id.publicKey());
    }
    for (int id : cohort) {
      clients.put(id, new SecAggClient(id, identities.get(id), registry, RANDOM));
      int[] x = new int[length];
      for (int i = 0; i < length; i++) {
        x[i] = bitWidth == 32 ? RANDOM.nextInt() : RANDOM.nextInt() & (int) ((1L << bitWidth) - 1);
      }
      inputs.put(id, x);
    }
    server = new SecAggServer(roundId, cohort, params, length, bitWidth, registry, modelHash, RANDOM);
  }

  @SuppressWarnings("unchecked")
  static <T extends ServerMessage> T wire(T m) {
    return (T) ServerMessage.fromBytes(m.toBytes());
  }

  @SuppressWarnings("unchecked")
  static <T extends ClientMessage> T wire(T m) {
    return (T) ClientMessage.fromBytes(m.toBytes());
  }

  boolean live(Map<Integer, Drop> drops, int id, Drop phase) {
    Drop d = drops.get(id);
    return d == null || d.ordinal() > phase.ordinal();
  }

  RoundStart start;
  KeyDirectory directory;
  Map<Integer, ShareBundle> bundles;
  SurvivorList survivorList;
  Map<Integer, UnmaskRequest> requests;
  Map<Integer, Drop> drops = Map.of();

  /** Runs the full round; returns the server's sum. */
  int[] run(Map<Integer, Drop> drops) {
    this.drops = drops;
    advertise();
    share();
    mask();
    consistency();
    unmask();
    return server.finish();
  }

  Harness advertise() {
    start = wire(server.roundStart());
    for (int id : cohort) {
      if (live(drops, id, Drop.ADVERTISE)) {
        AdvertiseKeys a = clients.get(id).advertiseKeys(start, modelHash);
        server.receive(wire(a));
      }
    }
    directory = wire(server.closeAdvertiseKeys());
    return this;
  }

  Harness share() {
    for (AdvertiseKeys a : directory.entries()) {
      if (live(drops, a.clientId(), Drop.SHARE)) {
        ShareKeys s = clients.get(a.clientId()).shareKeys(directory);
        server.receive(wire(s));
      }
    }
    bundles = server.closeShareKeys();
    return this;
  }

  Harness mask() {
    for (Map.Entry<Integer, ShareBundle> e : bundles.entrySet()) {
      if (live(drops, e.getKey(), Drop.MASK)) {
        MaskedInput m = clients.get(e.getKey()).maskInput(wire(e.getValue()), inputs.get(e.getKey()));
        server.receive(wire(m));
      }
    }
    survivorList = wire(server.closeMaskedInputCollection());
    return this;
  }

  Harness consistency() {
    for (int id : survivorList.survivors()) {
      if (live(drops, id, Drop.CONSISTENCY)) {
        ConsistencySignature c = clients.get(id).consistencyCheck(survivorList);
        server.receive(wire(c));
      }
    }
    requests = server.closeConsistencyCheck();
    return this;
  }

  Harness unmask() {
    for (Map.Entry<Integer, UnmaskRequest> e : requests.entrySet()) {
      if (live(drops, e.getKey(), Drop.UNMASK)) {
        UnmaskResponse r = clients.get(e.getKey()).unmask(wire(e.getValue()));
        server.receive(wire(r));
      }
    }
    return this;
  }

  /** Modular sum of the inputs of {@code ids}. */
  int[] expectedSum(int[] ids) {
    int[] sum = new int[length];
    for (int id : ids) {
      int[] x = inputs.get(id);
      for (int i = 0; i < length; i++) {
        sum[i] += x[i];
      }
    }
    if (bitWidth < 32) {
      for (int i = 0; i < length; i++) {
        sum[i] &= (1 << bitWidth) - 1;
      }
    }
    return sum;
  }

  /** Clients that sent their masked input under {@code drops}. */
  List<Integer> expectedSurvivors(Map<Integer, Drop> drops) {
    List<Integer> out = new ArrayList<>();
    for (int id : cohort) {
      if (live(drops, id, Drop.MASK)) {
        out.add(id);
      }
    }
    return out;
  }
}
