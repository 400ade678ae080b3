package io.interestfl.coordinator.round;

import io.interestfl.protocol.FloatVectors;
import io.interestfl.protocol.v1.UpdateChunk;
import io.interestfl.protocol.v1.UpdateSummary;

/**
 * One client's update stream in progress: chunks are checked for consistency and decoded into a
 * staging buffer. Nothing reaches the round's accumulator until the whole update is validated, so a
 * stream that breaks or turns out to be invalid leaves the round exactly as it was.
 */
public final class UploadSession {
  final String clientId;
  final long roundId;
  final long modelVersion;
  final UpdateSummary summary;
  final float[] staging;
  private int received;
  private long bytes;
  private boolean released;

  UploadSession(UpdateChunk first, int modelLength) {
    this.clientId = first.getClientId();
    this.roundId = first.getRoundId();
    this.modelVersion = first.getModelVersion();
    this.summary = first.getSummary();
    this.staging = new float[modelLength];
  }

  /** Decodes one chunk into the staging buffer, refusing anything that does not continue the stream. */
  public void append(UpdateChunk chunk) {
    if (!chunk.getClientId().equals(clientId) || chunk.getRoundId() != roundId
        || chunk.getModelVersion() != modelVersion) {
      throw Rejection.invalid("chunk for client '" + chunk.getClientId() + "' round " + chunk.getRoundId()
          + " version " + chunk.getModelVersion() + " inside the stream of client '" + clientId
          + "' round " + roundId + " version " + modelVersion);
    }
    if (chunk.getTotalLength() != staging.length) {
      throw Rejection.invalid("update declares " + chunk.getTotalLength() + " values, the model has "
          + staging.length);
    }
    if (chunk.getOffset() != received) {
      throw Rejection.invalid("chunk at offset " + chunk.getOffset() + ", expected offset " + received);
    }
    int size = chunk.getData().size();
    if (size % Float.BYTES != 0) {
      throw Rejection.invalid("chunk at offset " + received + " has " + size
          + " bytes, not a whole number of float32 values");
    }
    if (received + size / Float.BYTES > staging.length) {
      throw Rejection.invalid("update has more than the model's " + staging.length + " values");
    }
    received += FloatVectors.decodeInto(chunk.getData().asReadOnlyByteBuffer(), staging, received);
    bytes += chunk.getSerializedSize();
  }

  /** Marks the session finished; true the first time only (so counters are released once). */
  boolean release() {
    boolean first = !released;
    released = true;
    return first;
  }

  int received() {
    return received;
  }

  long bytes() {
    return bytes;
  }

  public String clientId() {
    return clientId;
  }
}
