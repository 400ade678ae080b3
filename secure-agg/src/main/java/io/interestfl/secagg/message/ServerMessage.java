package io.interestfl.secagg.message;

/** A message the server sends to clients. Transports carry {@link #toBytes()} opaquely. */
public sealed interface ServerMessage
    permits RoundStart, KeyDirectory, ShareBundle, SurvivorList, UnmaskRequest {
  /** The round this message belongs to. */
  long roundId();

  /** Explicit binary encoding; {@code fromBytes} of the same type reverses it. */
  byte[] toBytes();

  /** Decodes any server message by its tag. */
  static ServerMessage fromBytes(byte[] data) {
    byte tag = Wire.tag(data, "server message");
    return switch (tag) {
      case Wire.ROUND_START -> RoundStart.fromBytes(data);
      case Wire.KEY_DIRECTORY -> KeyDirectory.fromBytes(data);
      case Wire.SHARE_BUNDLE -> ShareBundle.fromBytes(data);
      case Wire.SURVIVOR_LIST -> SurvivorList.fromBytes(data);
      case Wire.UNMASK_REQUEST -> UnmaskRequest.fromBytes(data);
      default -> throw new MalformedMessageException("server message: unknown tag " + tag);
    };
  }
}
