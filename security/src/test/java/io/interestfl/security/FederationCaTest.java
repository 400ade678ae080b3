package io.interestfl.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FederationCaTest {
  static final Duration YEAR = Duration.ofDays(365);

  /** PKIX validation as a TLS stack does it: chain to the CA, with the CA's revocation list. */
  static void validate(FederationCa ca, X509Certificate leaf) throws Exception {
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca.certificate(), null)));
    parameters.setRevocationEnabled(true);
    parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(List.of(ca.crl()))));
    CertPathValidator.getInstance("PKIX").validate(
        CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), parameters);
  }

  @Test
  void issuesKitsThatValidateAndRevocationMakesThemFail(@TempDir Path dir) throws Exception {
    FederationCa ca = FederationCa.create(dir.resolve("ca"), "retail", Duration.ofDays(3650));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca/ca.key"))));
    X509Certificate germany = ca.issueKit("germany", FederationCa.Role.NODE, List.of(), YEAR, dir.resolve("kit"));
    assertEquals("germany", PeerIdentity.of(new X509Certificate[] {germany}));
    assertEquals(germany, Pem.certificate(dir.resolve("kit/germany.crt")));
    assertTrue(Files.exists(dir.resolve("kit/germany.key")) && Files.exists(dir.resolve("kit/ca.crt")));
    assertTrue(germany.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.2"), "client authentication only");
    validate(ca, germany);

    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
        () -> ca.issueKit("germany", FederationCa.Role.NODE, List.of(), YEAR, dir.resolve("kit2")));
    assertTrue(twice.getMessage().contains("already has a certificate"), twice.getMessage());

    ca.revoke("germany");
    FederationCa reopened = FederationCa.open(dir.resolve("ca"));
    CertPathValidatorException revoked = assertThrows(CertPathValidatorException.class, () -> validate(reopened, germany));
    assertEquals(CertPathValidatorException.BasicReason.REVOKED, revoked.getReason());
    // once revoked, the name may get a new certificate
    validate(reopened, reopened.issueKit("germany", FederationCa.Role.NODE, List.of(), YEAR, dir.resolve("kit3")));
  }

  @Test
  void aRequestKeepsTheKeyWithTheRequesterAndMustNameItself(@TempDir Path dir) throws Exception {
    FederationCa ca = FederationCa.create(dir.resolve("ca"), "retail", Duration.ofDays(3650));
    Files.writeString(dir.resolve("france.csr"), FederationCa.request("france", dir.resolve("france.key")));
    X509Certificate france = ca.issueFromRequest("france", FederationCa.Role.NODE, dir.resolve("france.csr"),
        List.of(), YEAR);
    validate(ca, france);
    assertEquals("france", PeerIdentity.of(new X509Certificate[] {france}));
    IllegalArgumentException impersonation = assertThrows(IllegalArgumentException.class,
        () -> ca.issueFromRequest("germany", FederationCa.Role.NODE, dir.resolve("france.csr"), List.of(), YEAR));
    assertTrue(impersonation.getMessage().contains("is for 'france', not 'germany'"), impersonation.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> ca.issueKit("../evil", FederationCa.Role.NODE, List.of(), YEAR, dir.resolve("kit")));
  }

  @Test
  void theCoordinatorsCertificateServesItsHostsAndAnotherCaIsNotTrusted(@TempDir Path dir) throws Exception {
    FederationCa ca = FederationCa.create(dir.resolve("ca"), "retail", Duration.ofDays(3650));
    X509Certificate coordinator = ca.issueKit("coordinator", FederationCa.Role.COORDINATOR,
        List.of("localhost", "127.0.0.1"), YEAR, dir.resolve("kit"));
    assertTrue(coordinator.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"), "server authentication");
    assertEquals(2, coordinator.getSubjectAlternativeNames().size());
    FederationCa other = FederationCa.create(dir.resolve("other"), "retail", Duration.ofDays(3650));
    X509Certificate stranger = other.issueKit("germany", FederationCa.Role.NODE, List.of(), YEAR, dir.resolve("o"));
    assertThrows(CertPathValidatorException.class, () -> validate(ca, stranger));
    assertThrows(IllegalArgumentException.class, () -> FederationCa.create(dir.resolve("ca"), "retail", YEAR));
  }
}
