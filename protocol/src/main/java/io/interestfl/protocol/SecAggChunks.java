package io.interestfl.protocol;

import com.google.protobuf.ByteString;
import io.interestfl.protocol.v1.SecAggChunk;
import io.interestfl.protocol.v1.SecAggPhase;
import java.util.ArrayList;
import java.util.List;

/** Splits an opaque secure-aggregation message into the chunks of one stream (128 KiB each). */
public final class SecAggChunks {
  public static final int CHUNK_BYTES = FederationStub.CHUNK_FLOATS * Float.BYTES;

  private SecAggChunks() {}

  public static List<SecAggChunk> of(String federationId, String clientId, long roundId, SecAggPhase phase,
      byte[] message) {
    List<SecAggChunk> chunks = new ArrayList<>();
    int offset = 0;
    do {
      int length = Math.min(CHUNK_BYTES, message.length - offset);
      chunks.add(SecAggChunk.newBuilder()
          .setFederationId(federationId)
          .setClientId(clientId)
          .setRoundId(roundId)
          .setPhase(phase)
          .setOffset(offset)
          .setTotalBytes(message.length)
          .setData(ByteString.copyFrom(message, offset, length))
          .build());
      offset += length;
    } while (offset < message.length);
    return chunks;
  }
}
