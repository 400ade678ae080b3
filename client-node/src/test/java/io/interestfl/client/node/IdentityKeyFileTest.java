package io.interestfl.client.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.secagg.crypto.Ed25519Identity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityKeyFileTest {
  @Test
  void aRestartedNodeKeepsItsSigningKey(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("secagg-identity-germany.key");
    Ed25519Identity first = IdentityKeyFile.loadOrCreate(file, new SecureRandom());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    Ed25519Identity again = IdentityKeyFile.loadOrCreate(file, new SecureRandom());
    assertArrayEquals(first.publicKey(), again.publicKey(), "the same identity after a restart");
    byte[] message = "round 7".getBytes();
    assertTrue(Ed25519Identity.verifier(first.publicKey()).verify(message, again.sign(message)));
    Files.writeString(file, "not hex\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> IdentityKeyFile.loadOrCreate(file, new SecureRandom()));
    assertTrue(e.getMessage().contains("not a hex-encoded Ed25519 key"), e.getMessage());
  }
}
