package io.interestfl.coordinator.secagg;

import io.interestfl.aggregation.SecureQuantization;
import io.interestfl.coordinator.config.CoordinatorConfig;
import io.interestfl.coordinator.round.Rejection;
import io.interestfl.protocol.FloatVectors;
import io.interestfl.protocol.v1.SecAggPhase;
import io.interestfl.protocol.v1.SecAggRoundStart;
import io.interestfl.protocol.v1.SecAggTask;
import io.interestfl.secagg.message.ClientMessage;
import io.interestfl.secagg.message.MalformedMessageException;
import io.interestfl.secagg.message.ShareBundle;
import io.interestfl.secagg.message.UnmaskRequest;
import io.interestfl.secagg.protocol.InvalidSignatureException;
import io.interestfl.secagg.protocol.ProtocolStateException;
import io.interestfl.secagg.protocol.SecAggException;
import io.interestfl.secagg.protocol.SecAggParameters;
import io.interestfl.secagg.protocol.SecAggServer;
import io.interestfl.secagg.protocol.WrongSessionException;
import io.interestfl.secagg.quantization.Quantizer;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/**
 * One round's SecAgg+ exchange, seen from the coordinator: which phase is being collected, what
 * each client fetches in it, and who has answered. The coordinator only ever holds masked inputs
 * (folded into one modular accumulator by {@link SecAggServer}) and, after unmasking, their sum.
 *
 * <p>A phase closes when every expected client has answered or its deadline passes; clients that
 * did not answer are dropped and the protocol recovers their masks from their neighbours' shares.
 * The first phase's deadline is the round's (it covers local training); later phases get
 * {@code secure-aggregation.phase-timeout-seconds}. Confined to the coordinator's event loop, except
 * {@link #finish}, which runs on a worker.
 */
public final class SecureAggregationRound {
  private final SecAggServer server;
  private final Quantizer quantizer;
  private final Map<String, Integer> ids = new HashMap<>();
  private final Map<Integer, String> names = new HashMap<>();
  private final byte[] roundStart;
  private final long phaseTimeoutMillis;
  private SecAggPhase phase = SecAggPhase.ADVERTISE_KEYS;
  private Set<String> expected;
  /** Cohort members that withdrew: not waited for in any later phase. */
  private final Set<String> withdrawn = new HashSet<>();
  private final Set<String> submitted = new HashSet<>();
  private long phaseDeadline;
  private byte[] broadcast;
  private Map<Integer, byte[]> perClient = Map.of();
  private long bytesUp;
  private final Map<String, Long> bytesUpByClient = new HashMap<>();
  private final Map<String, Double> maskingMillisByClient = new HashMap<>();
  private final int plainBytes;
  private long bytesDown;

  public SecureAggregationRound(long roundId, List<String> cohort, Function<String, byte[]> identityKeys,
      Function<String, byte[][]> bindings, float[] globalModel, CoordinatorConfig.SecureAggregation config, SecureQuantization quantization,
      long roundDeadlineMillis) {
    SecAggRoundStart.Builder start = SecAggRoundStart.newBuilder();
    Map<Integer, byte[]> registry = new HashMap<>();
    int[] cohortIds = new int[cohort.size()];
    for (int i = 0; i < cohort.size(); i++) {
      int id = i + 1;
      ids.put(cohort.get(i), id);
      names.put(id, cohort.get(i));
      cohortIds[i] = id;
      byte[] key = identityKeys.apply(cohort.get(i));
      registry.put(id, key);
      start.putIdentityKeys(id, com.google.protobuf.ByteString.copyFrom(key));
      if (bindings != null) {
        byte[][] binding = bindings.apply(cohort.get(i));
        if (binding[0].length > 0) {
          start.putIdentityCertificates(id, com.google.protobuf.ByteString.copyFrom(binding[0]));
          start.putIdentityKeySignatures(id, com.google.protobuf.ByteString.copyFrom(binding[1]));
        }
      }
    }
    SecAggParameters parameters = SecAggParameters.choose(cohort.size(), config.expectedDropout, config.corruptFraction);
    this.quantizer = quantization.forCohort(cohort.size());
    this.server = new SecAggServer(roundId, cohortIds, parameters, Quantizer.encodedLength(globalModel.length),
        quantizer.bitWidth(), registry, modelHash(globalModel), new SecureRandom());
    this.roundStart = start.setRoundStart(com.google.protobuf.ByteString.copyFrom(server.roundStart().toBytes()))
        .build().toByteArray();
    this.broadcast = roundStart;
    this.expected = new LinkedHashSet<>(cohort);
    this.phaseDeadline = roundDeadlineMillis;
    this.phaseTimeoutMillis = config.phaseTimeoutSeconds * 1000L;
    this.plainBytes = Float.BYTES * globalModel.length;
  }

  /** SHA-256 of the model exactly as sent (little-endian float32): binds the session to it. */
  public static byte[] modelHash(float[] model) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(FloatVectors.toBytes(model));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public SecAggPhase phase() {
    return phase;
  }

  /** What a cohort member should do now; null when it is no longer part of the exchange. */
  public SecAggTask task(String clientId) {
    if (!expected.contains(clientId)) {
      return null;
    }
    return SecAggTask.newBuilder().setPhase(phase).setSecaggId(ids.get(clientId))
        .setSubmitted(submitted.contains(clientId)).build();
  }

  /** The server's message for {@code clientId} in {@code requested}. */
  public byte[] payload(String clientId, SecAggPhase requested) {
    requireCurrent(clientId, requested);
    if (phase == SecAggPhase.ADVERTISE_KEYS || phase == SecAggPhase.SHARE_KEYS
        || phase == SecAggPhase.CONSISTENCY_CHECK) {
      bytesDown += broadcast.length;
      return broadcast;
    }
    byte[] own = perClient.get(ids.get(clientId));
    if (own == null) {
      throw new Rejection(GrpcStatus.FAILED_PRECONDITION, "no " + phase + " message for client '" + clientId + "'");
    }
    bytesDown += own.length;
    return own;
  }

  /** Feeds a client's reply to the protocol; a refused message changes nothing. */
  public void submit(String clientId, SecAggPhase submittedPhase, byte[] message, double maskingMillis) {
    requireCurrent(clientId, submittedPhase);
    if (submitted.contains(clientId)) {
      throw new Rejection(GrpcStatus.ALREADY_EXISTS, "client '" + clientId + "' already answered " + phase);
    }
    ClientMessage decoded;
    try {
      decoded = ClientMessage.fromBytes(message);
    } catch (MalformedMessageException e) {
      throw new Rejection(GrpcStatus.INVALID_ARGUMENT, "malformed secure aggregation message: " + e.getMessage());
    }
    if (decoded.clientId() != ids.get(clientId)) {
      throw new Rejection(GrpcStatus.PERMISSION_DENIED, "client '" + clientId + "' sent a message signed as SecAgg id "
          + decoded.clientId() + " (its id is " + ids.get(clientId) + ")");
    }
    try {
      server.receive(decoded);
    } catch (InvalidSignatureException e) {
      throw new Rejection(GrpcStatus.PERMISSION_DENIED, e.getMessage());
    } catch (ProtocolStateException | WrongSessionException e) {
      throw new Rejection(GrpcStatus.FAILED_PRECONDITION, e.getMessage());
    } catch (SecAggException e) {
      throw new Rejection(GrpcStatus.INVALID_ARGUMENT, e.getMessage());
    }
    submitted.add(clientId);
    bytesUp += message.length;
    bytesUpByClient.merge(clientId, (long) message.length, Long::sum);
    if (maskingMillis > 0 && Double.isFinite(maskingMillis)) {
      maskingMillisByClient.put(clientId, maskingMillis);
    }
  }

  private void requireCurrent(String clientId, SecAggPhase requested) {
    if (!ids.containsKey(clientId)) {
      throw new Rejection(GrpcStatus.PERMISSION_DENIED, "client '" + clientId + "' is not in this round's cohort");
    }
    if (requested != phase) {
      throw new Rejection(GrpcStatus.FAILED_PRECONDITION, "secure aggregation is in phase " + phase + ", not " + requested);
    }
    if (!expected.contains(clientId)) {
      throw new Rejection(GrpcStatus.PERMISSION_DENIED,
          "client '" + clientId + "' was dropped from this round's secure aggregation before " + phase);
    }
  }

  /**
   * A cohort member said it will send nothing more: stop waiting for it in this phase. For the
   * protocol it is a dropout like any other (a client that already advertised keys is recovered by
   * the survivors' shares).
   */
  public void withdraw(String clientId) {
    withdrawn.add(clientId);
    if (!submitted.contains(clientId)) {
      expected.remove(clientId);   // always this round's own copy (constructor, next())
    }
  }

  /** True when the current phase may close: everyone expected answered, or its deadline passed. */
  public boolean phaseComplete(long now) {
    return submitted.containsAll(expected) || now >= phaseDeadline;
  }

  /**
   * Closes the current phase and opens the next; returns true when unmasking responses are in and
   * {@link #finish} may run. Throws a {@code SecAggException} (e.g. too few survivors) when the
   * round cannot complete.
   */
  public boolean advance(long now) {
    Set<String> answered = new LinkedHashSet<>(expected);
    answered.retainAll(submitted);
    switch (phase) {
      case ADVERTISE_KEYS -> {
        broadcast = server.closeAdvertiseKeys().toBytes();
        next(SecAggPhase.SHARE_KEYS, answered, now);
      }
      case SHARE_KEYS -> {
        Map<Integer, ShareBundle> bundles = server.closeShareKeys();
        perClient = new HashMap<>();
        bundles.forEach((id, bundle) -> perClient.put(id, bundle.toBytes()));
        next(SecAggPhase.MASKED_INPUT, namesOf(bundles.keySet()), now);
      }
      case MASKED_INPUT -> {
        broadcast = server.closeMaskedInputCollection().toBytes();
        perClient = Map.of();
        next(SecAggPhase.CONSISTENCY_CHECK, namesOf(server.survivors()), now);
      }
      case CONSISTENCY_CHECK -> {
        Map<Integer, UnmaskRequest> requests = server.closeConsistencyCheck();
        perClient = new HashMap<>();
        requests.forEach((id, request) -> perClient.put(id, request.toBytes()));
        next(SecAggPhase.UNMASKING, namesOf(requests.keySet()), now);
      }
      case UNMASKING -> {
        return true;
      }
      default -> throw new IllegalStateException("unknown phase " + phase);
    }
    return false;
  }

  private void next(SecAggPhase nextPhase, Set<String> nextExpected, long now) {
    phase = nextPhase;
    expected = new LinkedHashSet<>(nextExpected);
    expected.removeAll(withdrawn);
    submitted.clear();
    phaseDeadline = now + phaseTimeoutMillis;
  }

  private Set<String> namesOf(Iterable<Integer> secAggIds) {
    Set<String> out = new LinkedHashSet<>();
    secAggIds.forEach(id -> out.add(names.get(id)));
    return out;
  }

  private Set<String> namesOf(int[] secAggIds) {
    Set<String> out = new LinkedHashSet<>();
    for (int id : secAggIds) {
      out.add(names.get(id));
    }
    return out;
  }

  /** Clients whose masked input is in the sum. */
  public List<String> survivors() {
    return new ArrayList<>(namesOf(server.survivors()));
  }

  /** Unmasks the sum (off the event loop, on {@code pool}) and returns the weighted mean delta. */
  public float[] finish(ExecutorService pool) {
    return SecureQuantization.decode(quantizer, server.finish(pool));
  }

  /** The phase being collected and the cohort members it still waits for (for {@code GET /status}). */
  public JsonObject progress() {
    List<String> waiting = new ArrayList<>(expected);
    waiting.removeAll(submitted);
    return new JsonObject().put("phase", phase.name()).put("waitingFor", new io.vertx.core.json.JsonArray(waiting))
        .put("dropped", new io.vertx.core.json.JsonArray(new ArrayList<>(withdrawn)));
  }

  public JsonObject stats() {
    JsonObject json = new JsonObject()
        .put("bitWidth", quantizer.bitWidth())
        .put("bytesUp", bytesUp)
        .put("bytesDown", bytesDown)
        .put("plainBytesPerClient", plainBytes);
    List<String> survivors = survivors();
    if (!survivors.isEmpty()) {
      json.put("bytesUpPerSurvivor", survivors.stream().mapToLong(c -> bytesUpByClient.getOrDefault(c, 0L)).average().orElse(0));
    }
    if (!maskingMillisByClient.isEmpty()) {
      json.put("clientMaskingMillis", maskingMillisByClient.values().stream().mapToDouble(Double::doubleValue).average().orElse(0));
    }
    SecAggServer.UnmaskingStats stats = server.stats();
    if (stats != null) {
      json.put("unmaskMillis", (stats.reconstructionNanos() + stats.maskRemovalNanos()) / 1e6)
          .put("pairwiseExpansions", stats.pairwiseExpansions())
          .put("selfMaskExpansions", stats.selfMaskExpansions());
    }
    return json;
  }
}
