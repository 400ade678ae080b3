package io.interestfl.client.node;

import io.interestfl.aggregation.DistributedNoise;
import io.interestfl.aggregation.SecureQuantization;
import io.interestfl.client.node.ClientNode.SecureAggregationCost;
import io.interestfl.protocol.FloatVectors;
import io.interestfl.protocol.RpcException;
import io.interestfl.protocol.v1.SecAggPhase;
import io.interestfl.protocol.v1.SecAggRoundStart;
import io.interestfl.protocol.v1.SecAggTask;
import io.interestfl.protocol.v1.SecureAggregationConfig;
import io.interestfl.protocol.v1.Task;
import io.interestfl.secagg.crypto.Ed25519Identity;
import io.interestfl.secagg.message.ClientMessage;
import io.interestfl.secagg.message.KeyDirectory;
import io.interestfl.secagg.message.RoundStart;
import io.interestfl.secagg.message.ShareBundle;
import io.interestfl.secagg.message.SurvivorList;
import io.interestfl.secagg.message.UnmaskRequest;
import io.interestfl.secagg.protocol.SecAggClient;
import io.interestfl.secagg.protocol.SecAggException;
import io.interestfl.secagg.quantization.Quantizer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * This node's side of SecAgg+, one round at a time: poll the phase, fetch the server's message, answer
 * it with {@link SecAggClient}. The update is quantized (and, with distributed DP, noised) when the
 * round's keys are advertised, and only its masked form leaves the node. Keeps each round's costs and
 * the fault injection that tests use to make a node drop out.
 */
final class SecAggParticipant {
  private static final Logger LOG = Logger.getLogger(ClientNode.class.getName());

  private final ClientConfig config;
  private final CoordinatorLink coordinator;
  /** Long-term signing key for secure aggregation (lives as long as the process). */
  private final Ed25519Identity identity;
  private final SecureRandom secureRandom;
  private final AtomicBoolean stopped;
  private final Map<Long, SecureAggregationCost> costs = new ConcurrentHashMap<>();
  private volatile SecAggPhase dieAfterPhase;

  SecAggParticipant(ClientConfig config, CoordinatorLink coordinator, Ed25519Identity identity,
      SecureRandom secureRandom, AtomicBoolean stopped) {
    this.config = config;
    this.coordinator = coordinator;
    this.identity = identity;
    this.secureRandom = secureRandom;
    this.stopped = stopped;
  }

  /**
   * Drives this node's side of SecAgg+ for {@code task}'s round, sending {@code delta} with weight
   * {@code examples}. Returns when the round is over for this node (unmasking answered, dropped, or the
   * round closed); a protocol violation by the server aborts the round here and reveals nothing.
   */
  void run(Task task, float[] global, float[] delta, long examples, double noiseVariance) throws Exception {
    SecureAggregationConfig settings = task.getConfig().getSecureAggregation();
    run(task, global, cohortSize -> {
      SecureQuantization quantization = new SecureQuantization(settings.getClipRange(), settings.getMaxWeight(),
          settings.getPrecisionBits());
      Quantizer quantizer = quantization.forCohort(cohortSize);
      // Distributed DP: every client counts once, and its share of the noise goes in before masking.
      int[] words = quantization.encode(quantizer, delta, examples, noiseVariance > 0, secureRandom);
      if (noiseVariance > 0) {
        addDiscreteGaussianNoise(words, noiseVariance, quantizer.bitWidth());
      }
      return words;
    });
  }

  /** The words this node masks, made when the round's cohort is known (its size fixes the quantizer). */
  interface Input {
    int[] words(int cohortSize);
  }

  /** {@link #run(Task, float[], float[], long, double)} with the masked words made by {@code input}. */
  void run(Task task, float[] global, Input input) throws Exception {
    byte[] modelHash = MessageDigest.getInstance("SHA-256").digest(FloatVectors.toBytes(global));
    SecAggClient protocol = null;
    int[] words = null;
    int refusals = 0;
    double maskingMillis = 0;
    long bytesUp = 0;
    while (!stopped.get()) {
      Task current = coordinator.nextTask();
      if (current.getKind() != Task.Kind.TRAIN || current.getRoundId() != task.getRoundId() || !current.hasSecagg()) {
        LOG.info(config.name + ": round " + task.getRoundId() + " secure aggregation over for this node: "
            + current.getKind() + " " + current.getMessage());
        return;
      }
      SecAggTask step = current.getSecagg();
      if (step.getSubmitted()) {
        Thread.sleep(200);
        continue;
      }
      SecAggPhase phase = step.getPhase();
      byte[] payload = coordinator.secAggFetch(task.getRoundId(), phase);
      ClientMessage reply;
      try {
        switch (phase) {
          case ADVERTISE_KEYS -> {
            SecAggRoundStart start = SecAggRoundStart.parseFrom(payload);
            String untrusted = untrustedKey(start);
            if (untrusted != null) {
              LOG.severe(config.name + ": aborting round " + task.getRoundId() + "'s secure aggregation: " + untrusted);
              return;
            }
            Map<Integer, byte[]> keys = new HashMap<>();
            start.getIdentityKeysMap().forEach((id, key) -> keys.put(id, key.toByteArray()));
            RoundStart roundStart = RoundStart.fromBytes(start.getRoundStart().toByteArray());
            protocol = new SecAggClient(step.getSecaggId(), identity, keys, secureRandom);
            // the input (and its noise share) is made once per round, however often the keys are re-advertised
            if (words == null) {
              words = input.words(roundStart.cohort().length);
            }
            reply = protocol.advertiseKeys(roundStart, modelHash);
          }
          case SHARE_KEYS -> reply = requireStarted(protocol, phase).shareKeys(KeyDirectory.fromBytes(payload));
          case MASKED_INPUT -> {
            long started = System.nanoTime();
            reply = requireStarted(protocol, phase).maskInput(ShareBundle.fromBytes(payload), words);
            maskingMillis = (System.nanoTime() - started) / 1e6;
          }
          case CONSISTENCY_CHECK -> reply = requireStarted(protocol, phase).consistencyCheck(SurvivorList.fromBytes(payload));
          case UNMASKING -> reply = requireStarted(protocol, phase).unmask(UnmaskRequest.fromBytes(payload));
          default -> throw new IllegalStateException("unknown secure aggregation phase " + phase);
        }
      } catch (SecAggException e) {
        LOG.severe(config.name + ": aborting round " + task.getRoundId() + "'s secure aggregation in " + phase
            + ": " + e.getMessage());
        return;
      }
      byte[] message = reply.toBytes();
      try {
        double reportedMasking = phase == SecAggPhase.CONSISTENCY_CHECK ? maskingMillis : 0;
        coordinator.secAggSubmit(task.getRoundId(), phase, message, reportedMasking);
        bytesUp += message.length;
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RpcException rpc && !rpc.isTransient()) {
          refusals++;
          long backoff = Math.min(5_000, 200L << Math.min(5, refusals - 1));
          LOG.warning(config.name + ": " + phase + " reply refused (" + refusals + " in this round; next try in "
              + backoff + " ms): " + rpc.getMessage());
          Thread.sleep(backoff);
          continue;
        }
        throw e;
      }
      if (phase == dieAfterPhase) {
        LOG.warning(config.name + ": fault injection: leaving after " + phase);
        stopped.set(true);
        return;
      }
      if (phase == SecAggPhase.UNMASKING) {
        costs.put(task.getRoundId(), new SecureAggregationCost(task.getRoundId(), maskingMillis, bytesUp,
            4L * global.length));
        LOG.info(String.format("%s: round %d secure aggregation done: masking %.0f ms, %,d bytes up (plain update %,d)",
            config.name, task.getRoundId(), maskingMillis, bytesUp, 4L * global.length));
        return;
      }
    }
  }

  /**
   * Under mutual TLS, why the cohort's identity keys must not be trusted (null when every key is signed by a valid
   * certificate of the federation CA): a coordinator that substituted a key is caught before any secret is shared.
   */
  private String untrustedKey(SecAggRoundStart start) throws Exception {
    if (config.tls.insecure) {
      return null;
    }
    java.security.cert.X509Certificate ca = io.interestfl.security.Pem.certificate(config.resolve(config.tls.caCert));
    for (Map.Entry<Integer, com.google.protobuf.ByteString> key : start.getIdentityKeysMap().entrySet()) {
      com.google.protobuf.ByteString cert = start.getIdentityCertificatesMap().get(key.getKey());
      com.google.protobuf.ByteString signature = start.getIdentityKeySignaturesMap().get(key.getKey());
      if (cert == null || signature == null) {
        return "member " + key.getKey() + "'s identity key comes without its certificate and signature";
      }
      String problem = io.interestfl.security.IdentityBinding.problem(ca, cert.toByteArray(), config.federationId,
          key.getValue().toByteArray(), signature.toByteArray());
      if (problem != null) {
        return "member " + key.getKey() + ": " + problem;
      }
    }
    return null;
  }

  /** Adds N_Z(0, variance) to every coordinate but the last (the weight word), modulo 2^bits. */
  private void addDiscreteGaussianNoise(int[] input, double variance, int bits) {
    long started = System.nanoTime();
    new DistributedNoise(variance).addTo(input, bits, secureRandom);
    LOG.info(String.format("%s: distributed DP noise (variance %.3g levels^2) added to %,d coordinates in %.0f ms",
        config.name, variance, input.length - 1, (System.nanoTime() - started) / 1e6));
  }

  private static SecAggClient requireStarted(SecAggClient protocol, SecAggPhase phase) {
    if (protocol == null) {
      throw new IllegalStateException("secure aggregation phase " + phase + " reached without ADVERTISE_KEYS");
    }
    return protocol;
  }

  /** Fault injection for tests: the node leaves right after answering {@code phase}. */
  void dieAfter(SecAggPhase phase) {
    this.dieAfterPhase = phase;
  }

  /** The costs of {@code roundId}'s secure aggregation at this node, or null. */
  SecureAggregationCost cost(long roundId) {
    return costs.get(roundId);
  }
}
