package io.interestfl.secagg.message;

/** A message a client sends to the server. Transports carry {@link #toBytes()} opaquely. */
public sealed interface ClientMessage
    permits AdvertiseKeys, ShareKeys, MaskedInput, ConsistencySignature, UnmaskResponse {
  /** The round this message belongs to. */
  long roundId();

  /** The sending client. */
  int clientId();

  /** Explicit binary encoding; {@code fromBytes} of the same type reverses it. */
  byte[] toBytes();

  /** Decodes any client message by its tag. */
  static ClientMessage fromBytes(byte[] data) {
    byte tag = Wire.tag(data, "client message");
    return switch (tag) {
      case Wire.ADVERTISE_KEYS -> AdvertiseKeys.fromBytes(data);
      case Wire.SHARE_KEYS -> ShareKeys.fromBytes(data);
      case Wire.MASKED_INPUT -> MaskedInput.fromBytes(data);
      case Wire.CONSISTENCY_SIGNATURE -> ConsistencySignature.fromBytes(data);
      case Wire.UNMASK_RESPONSE -> UnmaskResponse.fromBytes(data);
      default -> throw new MalformedMessageException("client message: unknown tag " + tag);
    };
  }
}
