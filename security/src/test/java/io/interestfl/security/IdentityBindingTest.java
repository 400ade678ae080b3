package io.interestfl.security;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityBindingTest {
  @Test
  void aSubstitutedKeyOrAForeignCertificateIsDetected(@TempDir Path dir) throws Exception {
    FederationCa ca = FederationCa.create(dir.resolve("ca"), "retail", Duration.ofDays(30));
    X509Certificate germany = ca.issueKit("germany", FederationCa.Role.NODE, List.of(), Duration.ofDays(30),
        dir.resolve("kit"));
    PrivateKey key = Pem.privateKey(dir.resolve("kit/germany.key"));
    byte[] identity = new byte[32];
    identity[0] = 7;
    byte[] signature = IdentityBinding.sign(key, "retail", "germany", identity);
    assertNull(IdentityBinding.problem(ca.certificate(), germany.getEncoded(), "retail", identity, signature));

    byte[] substituted = identity.clone();
    substituted[31] = 1;
    assertTrue(IdentityBinding.problem(ca.certificate(), germany.getEncoded(), "retail", substituted, signature)
        .contains("not signed by its certificate"));
    assertTrue(IdentityBinding.problem(ca.certificate(), germany.getEncoded(), "other-federation", identity, signature)
        .contains("not signed"));
    FederationCa other = FederationCa.create(dir.resolve("other"), "retail", Duration.ofDays(30));
    X509Certificate forged = other.issueKit("germany", FederationCa.Role.NODE, List.of(), Duration.ofDays(30),
        dir.resolve("forged"));
    byte[] forgedSignature = IdentityBinding.sign(Pem.privateKey(dir.resolve("forged/germany.key")), "retail",
        "germany", substituted);
    assertTrue(IdentityBinding.problem(ca.certificate(), forged.getEncoded(), "retail", substituted, forgedSignature)
        .contains("not a valid certificate of the federation CA"));
  }
}
