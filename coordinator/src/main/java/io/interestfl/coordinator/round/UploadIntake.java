package io.interestfl.coordinator.round;

import io.interestfl.protocol.v1.UpdateChunk;
import io.interestfl.protocol.v1.UploadReceipt;

/**
 * Plaintext update streams into the open round: a validated first chunk opens a staging
 * {@link UploadSession} (at most {@code max-concurrent-uploads} at a time, one per client); a
 * validated complete update is folded into the round's aggregator and counted. A stream that breaks
 * or is refused leaves the round exactly as it was.
 */
final class UploadIntake {
  private final String federationId;
  private final RequestValidator requests;
  private final EvaluationBook evaluations;
  private final int modelLength;
  private int activeUploads;
  /** Record update norms (plain federations only: under a privacy mode raw norms would be an unaccounted release). */
  private final boolean norms;

  UploadIntake(String federationId, RequestValidator requests, EvaluationBook evaluations, int modelLength,
      boolean norms) {
    this.norms = norms;
    this.federationId = federationId;
    this.requests = requests;
    this.evaluations = evaluations;
    this.modelLength = modelLength;
  }

  UploadSession begin(RoundController.Phase phase, Round round, UpdateChunk first) {
    String clientId = requests.firstChunk(phase, round, first, modelLength, activeUploads);
    UploadSession session = new UploadSession(first, modelLength);
    round.uploading.add(clientId);
    activeUploads++;
    return session;
  }

  /** Validates the whole update, then folds it into {@code round}; the caller closes a complete round. */
  UploadReceipt finish(RoundController.Phase phase, Round round, UploadSession session) {
    release(round, session);
    String clientId = requests.completeUpload(phase, round, session, modelLength);
    long examples = session.summary.getNumExamples();
    if (norms) {
      round.countNorm(io.interestfl.privacy.clipping.L2Clipper.norm(session.staging));   // as received, before clipping
    }
    round.aggregator.accept(session.staging, examples);
    round.submitted.add(clientId);
    round.countLoss(session.summary.getMeanTrainLoss(), examples, session.summary.getCustomerEpsilon());
    round.bytesReceived += session.bytes();
    if (session.summary.hasGlobalModelMetrics() && session.summary.getGlobalModelMetrics().getNumUsers() > 0) {
      evaluations.federated(round.modelVersion, clientId, session.summary.getGlobalModelMetrics());
    }
    return UploadReceipt.newBuilder()
        .setFederationId(federationId)
        .setRoundId(round.id)
        .setModelVersion(round.modelVersion)
        .setFloatsReceived(session.received())
        .build();
  }

  /** A stream that broke or was refused: forget it. */
  void release(Round round, UploadSession session) {
    if (session.release()) {
      activeUploads--;
      if (round != null && round.id == session.roundId) {
        round.uploading.remove(session.clientId);
      }
    }
  }
}
