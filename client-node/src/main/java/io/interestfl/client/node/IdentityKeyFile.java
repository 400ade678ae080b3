package io.interestfl.client.node;

import io.interestfl.secagg.crypto.Ed25519Identity;
import io.interestfl.security.OwnerOnlyFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The node's SecAgg+ signing key on disk (hex, owner-only): a node restarted in the middle of a round comes back
 * with the identity its cohort already knows, instead of registering a new key that every signature check refuses.
 */
final class IdentityKeyFile {
  private IdentityKeyFile() {}

  static Ed25519Identity loadOrCreate(Path file, SecureRandom random) {
    try {
      if (Files.exists(file)) {
        byte[] key;
        try {
          key = HexFormat.of().parseHex(Files.readString(file).trim());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(file + ": not a hex-encoded Ed25519 key", e);
        }
        if (key.length != 32) {
          throw new IllegalArgumentException(file + ": an Ed25519 private key is 32 bytes, the file holds " + key.length);
        }
        return Ed25519Identity.fromPrivateKey(key);
      }
      Ed25519Identity identity = Ed25519Identity.generate(random);
      OwnerOnlyFile.write(file, HexFormat.of().formatHex(identity.privateKeyEncoding()) + "\n", false);
      return identity;
    } catch (IOException e) {
      throw new UncheckedIOException("SecAgg identity key " + file + ": " + e.getMessage(), e);
    }
  }
}
