package io.interestfl.coordinator.round;

import io.interestfl.coordinator.config.CoordinatorConfig;
import io.interestfl.coordinator.registry.ClientRegistry;
import io.interestfl.coordinator.secagg.SecureAggregationRound;
import io.interestfl.protocol.FloatVectors;
import io.interestfl.protocol.v1.RegisterRequest;
import io.interestfl.protocol.v1.UpdateChunk;
import io.vertx.grpc.common.GrpcStatus;

/**
 * Checks every request before it touches state: the federation, the client, and for updates and
 * SecAgg+ messages that they belong to the open round. Each check throws a {@link Rejection} that
 * says what was wrong; nothing here changes anything.
 */
final class RequestValidator {
  private final CoordinatorConfig config;
  private final ClientRegistry registry;

  RequestValidator(CoordinatorConfig config, ClientRegistry registry) {
    this.config = config;
    this.registry = registry;
  }

  void federation(String federationId) {
    if (!config.federationId.equals(federationId)) {
      throw Rejection.invalid("unknown federation '" + federationId + "' (this is '" + config.federationId + "')");
    }
  }

  /** The federation and that {@code clientId} is registered in it; returns {@code clientId}. */
  String registered(String federationId, String clientId) {
    federation(federationId);
    if (registry.find(clientId).isEmpty()) {
      throw new Rejection(GrpcStatus.UNAUTHENTICATED,
          "client '" + clientId + "' is not registered in federation '" + config.federationId + "'");
    }
    return clientId;
  }

  void registration(RegisterRequest request) {
    federation(request.getFederationId());
    String name = request.getClientName();
    if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
      throw Rejection.invalid("client name must be 1-64 characters of [A-Za-z0-9._-], got '" + name + "'");
    }
    text("region", request.getRegion(), 128);
    if (request.getNumCustomers() < 0 || request.getNumCustomers() > 1_000_000_000L) {
      throw Rejection.invalid("num_customers must be in [0, 1e9], got " + request.getNumCustomers());
    }
    if ("customer".equals(config.privacy.mode) && request.getNumCustomers() < 1) {
      throw Rejection.invalid("this federation runs customer-level DP: num_customers (the node's customers with "
          + "training data) must be >= 1, got " + request.getNumCustomers());
    }
    if (request.getNumExamples() < 0 || request.getNumExamples() > config.maxExamplesPerClient) {
      throw Rejection.invalid("num_examples must be in [0, max-examples-per-client = " + config.maxExamplesPerClient
          + "], got " + request.getNumExamples());
    }
    int keyLength = request.getIdentityKey().size();
    if (config.secureAggregation.enabled && keyLength != 32) {
      throw Rejection.invalid("this federation uses secure aggregation: identity_key must be a 32-byte Ed25519 "
          + "public key, got " + keyLength + " bytes");
    }
  }

  void withdrawalReason(String reason) {
    text("reason", reason, 1000);
  }

  /** A node's free text (shown to operators and logged): bounded, and no control characters (no forged log lines). */
  private static void text(String field, String value, int maxLength) {
    if (value.length() > maxLength) {
      throw Rejection.invalid(field + " must be at most " + maxLength + " characters, got " + value.length());
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw Rejection.invalid(field + " must not contain control characters (found U+"
            + String.format("%04X", (int) value.charAt(i)) + " at " + i + ")");
      }
    }
  }

  /** An update or its first chunk: for the open round, its model version, from a cohort member, once. */
  String updateTarget(RoundController.Phase phase, Round round, String federationId, String clientId, long roundId,
      long version) {
    registered(federationId, clientId);
    if (phase != RoundController.Phase.TRAINING || round == null) {
      throw Rejection.stale("no round is open for updates (round " + roundId + " is closed, perhaps at its goal "
          + "under over-selection: this update is not needed; state " + phase + ")");
    }
    if (roundId != round.id) {
      throw Rejection.stale("update for round " + roundId + ", but the open round is " + round.id
          + " (round " + roundId + " closed: this update is not needed)");
    }
    if (version != round.modelVersion) {
      throw Rejection.stale("update against model v" + version + ", but round " + round.id
          + " trains model v" + round.modelVersion);
    }
    if (!round.cohort.contains(clientId)) {
      throw new Rejection(GrpcStatus.PERMISSION_DENIED,
          "client '" + clientId + "' was not selected for round " + round.id);
    }
    if (round.submitted.contains(clientId)) {
      throw new Rejection(GrpcStatus.ALREADY_EXISTS,
          "client '" + clientId + "' already submitted an update for round " + round.id);
    }
    return clientId;
  }

  /** The first chunk of a stream: may it open a staging session now? */
  String firstChunk(RoundController.Phase phase, Round round, UpdateChunk first, int modelLength, int activeUploads) {
    if (config.secureAggregation.enabled) {
      throw Rejection.stale("this federation uses secure aggregation: submit the masked update with SecAggSubmit");
    }
    String clientId = updateTarget(phase, round, first.getFederationId(), first.getClientId(), first.getRoundId(),
        first.getModelVersion());
    if (round.uploading.contains(clientId)) {
      throw new Rejection(GrpcStatus.ALREADY_EXISTS,
          "client '" + clientId + "' already has an update stream open for round " + round.id);
    }
    if (first.getTotalLength() != modelLength) {
      throw Rejection.invalid("update declares " + first.getTotalLength() + " values, the model has "
          + modelLength);
    }
    if (!first.hasSummary() || first.getSummary().getNumExamples() <= 0) {
      throw Rejection.invalid("the first chunk must carry a summary with num_examples > 0");
    }
    long registered = registry.find(clientId).orElseThrow().numExamples();
    if (first.getSummary().getNumExamples() > registered) {
      throw Rejection.invalid("the update declares " + first.getSummary().getNumExamples() + " examples, more than the "
          + registered + " this node registered with");
    }
    if (!Double.isFinite(first.getSummary().getMeanTrainLoss())) {
      throw Rejection.invalid("mean_train_loss must be finite, got " + first.getSummary().getMeanTrainLoss());
    }
    if (activeUploads >= config.maxConcurrentUploads) {
      throw new Rejection(GrpcStatus.RESOURCE_EXHAUSTED,
          "too many concurrent uploads (" + activeUploads + "), retry shortly");
    }
    return clientId;
  }

  /** A finished stream: still for the open round, complete, and finite. */
  String completeUpload(RoundController.Phase phase, Round round, UploadSession session, int modelLength) {
    String clientId = updateTarget(phase, round, config.federationId, session.clientId, session.roundId,
        session.modelVersion);
    if (session.received() != modelLength) {
      throw Rejection.invalid("update ended after " + session.received() + " of " + modelLength + " values");
    }
    int bad = FloatVectors.firstNonFinite(session.staging);
    if (bad >= 0) {
      throw Rejection.invalid("update has a non-finite value (" + session.staging[bad] + ") at index " + bad);
    }
    if (config.maxUpdateNorm > 0) {
      double norm = io.interestfl.privacy.clipping.L2Clipper.norm(session.staging);
      if (norm > config.maxUpdateNorm) {
        if ("reject".equals(config.updateNormAction)) {
          throw Rejection.invalid(String.format(java.util.Locale.ROOT, "update L2 norm %.4g exceeds max-update-norm %.4g",
              norm, config.maxUpdateNorm));
        }
        new io.interestfl.privacy.clipping.L2Clipper(config.maxUpdateNorm).clip(session.staging);
        java.util.logging.Logger.getLogger(RequestValidator.class.getName()).warning(String.format(java.util.Locale.ROOT,
            "round %d: %s's update had L2 norm %.4g, clipped to max-update-norm %.4g", round.id, clientId, norm,
            config.maxUpdateNorm));
      }
    }
    return clientId;
  }

  /** The open round's SecAgg+ exchange, if a message for {@code roundId} may reach it. */
  SecureAggregationRound secureRound(RoundController.Phase phase, Round round, String federationId, String clientId,
      long roundId) {
    registered(federationId, clientId);
    if (!config.secureAggregation.enabled) {
      throw Rejection.stale("this federation does not use secure aggregation; send updates with UploadUpdate");
    }
    if (phase != RoundController.Phase.TRAINING || round == null || round.secure == null) {
      throw Rejection.stale("no secure aggregation round is open (state " + phase + ")");
    }
    if (roundId != round.id) {
      throw Rejection.stale("message for round " + roundId + ", but the open round is " + round.id);
    }
    return round.secure;
  }
}
