package io.interestfl.protocol;

import com.google.protobuf.ByteString;
import io.interestfl.protocol.v1.UpdateChunk;
import io.interestfl.protocol.v1.UpdateSummary;
import java.util.ArrayList;
import java.util.List;

/** Splits an update (a weight delta) into the chunks of one {@code UploadUpdate} stream. */
public final class UpdateChunks {
  private UpdateChunks() {}

  public static List<UpdateChunk> of(String federationId, String clientId, long roundId, long modelVersion,
      float[] delta, UpdateSummary summary) {
    List<UpdateChunk> chunks = new ArrayList<>();
    int offset = 0;
    do {
      int length = Math.min(FederationStub.CHUNK_FLOATS, delta.length - offset);
      UpdateChunk.Builder chunk = UpdateChunk.newBuilder()
          .setFederationId(federationId)
          .setClientId(clientId)
          .setRoundId(roundId)
          .setModelVersion(modelVersion)
          .setOffset(offset)
          .setTotalLength(delta.length)
          .setData(ByteString.copyFrom(FloatVectors.toBytes(delta, offset, length)));
      if (offset == 0) {
        chunk.setSummary(summary);
      }
      chunks.add(chunk.build());
      offset += length;
    } while (offset < delta.length);
    return chunks;
  }
}
