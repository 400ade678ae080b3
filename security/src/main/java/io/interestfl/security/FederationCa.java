package io.interestfl.security;

import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The federation's certificate authority, in one directory: {@code ca.key} (owner-only), {@code ca.crt}, the index
 * of issued certificates ({@code issued.txt}: name, serial, role) and the revocation list ({@code crl.pem}), which
 * the coordinator reloads while it runs. Keys are EC P-256 and signatures ECDSA-SHA256 (JCA with Bouncy Castle
 * PKIX). A node's identity is its certificate's common name; its certificate is for client authentication only,
 * the coordinator's for server authentication with the host names it serves.
 */
public final class FederationCa {
  /** Names a certificate may carry: the same rule as a node's name. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final String SIGNATURE = "SHA256withECDSA";
  /** For parsing requests by key OID (not registered with the JDK's providers; signing stays on the JDK's). */
  private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

  /** A certificate's role. */
  public enum Role { NODE, COORDINATOR, ADMIN }

  private final Path dir;
  private final PrivateKey key;
  private final X509Certificate certificate;

  private FederationCa(Path dir, PrivateKey key, X509Certificate certificate) {
    this.dir = dir;
    this.key = key;
    this.certificate = certificate;
  }

  /** Creates a new CA for {@code federationId} in {@code dir}; refuses a directory that already holds one. */
  public static FederationCa create(Path dir, String federationId, Duration validity) throws IOException {
    checkName("federation id", federationId);
    if (Files.exists(dir.resolve("ca.key"))) {
      throw new IllegalArgumentException(dir.resolve("ca.key") + " exists: this directory already holds a CA");
    }
    Files.createDirectories(dir);
    KeyPair pair = newKeyPair();
    X500Name subject = name(federationId + " federation CA", federationId);
    Instant now = Instant.now();
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
          Date.from(now.minusSeconds(300)), Date.from(now.plus(validity)), subject, pair.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(pair.getPublic()));
      X509Certificate cert = convert(builder.build(signer(pair.getPrivate())));
      writePrivate(dir.resolve("ca.key"), pair.getPrivate());
      writePem(dir.resolve("ca.crt"), cert);
      FederationCa ca = new FederationCa(dir, pair.getPrivate(), cert);
      ca.writeCrl(Map.of());
      return ca;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot create the CA: " + e.getMessage(), e);
    }
  }

  /** Opens the CA in {@code dir}. */
  public static FederationCa open(Path dir) throws IOException {
    return new FederationCa(dir, Pem.privateKey(dir.resolve("ca.key")), Pem.certificate(dir.resolve("ca.crt")));
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public Path directory() {
    return dir;
  }

  /**
   * A key pair generated here and its certificate for {@code name}, written as {@code NAME.key} (owner-only),
   * {@code NAME.crt} and a copy of {@code ca.crt} under {@code out}: a startup kit to hand to the party over a
   * trusted channel. {@code hosts} (coordinator only) are the DNS names or IP addresses it serves on.
   */
  public X509Certificate issueKit(String name, Role role, List<String> hosts, Duration validity, Path out)
      throws IOException {
    KeyPair pair = newKeyPair();
    X509Certificate cert = issue(name, role, pair.getPublic(), hosts, validity);
    Files.createDirectories(out);
    writePrivate(out.resolve(name + ".key"), pair.getPrivate());
    writePem(out.resolve(name + ".crt"), cert);
    Files.copy(dir.resolve("ca.crt"), out.resolve("ca.crt"), StandardCopyOption.REPLACE_EXISTING);
    return cert;
  }

  /**
   * The certificate for a PKCS#10 request whose key never left the requester; the request's signature is checked
   * and its subject's common name must be {@code name}.
   */
  public X509Certificate issueFromRequest(String name, Role role, Path csr, List<String> hosts, Duration validity)
      throws IOException {
    PKCS10CertificationRequest request;
    try (Reader reader = Files.newBufferedReader(csr, StandardCharsets.US_ASCII);
         PEMParser parser = new PEMParser(reader)) {
      Object parsed = parser.readObject();
      if (!(parsed instanceof PKCS10CertificationRequest r)) {
        throw new IllegalArgumentException(csr + ": not a PEM certificate request");
      }
      request = r;
    }
    try {
      if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(BC).build(request.getSubjectPublicKeyInfo()))) {
        throw new IllegalArgumentException(csr + ": the request's signature does not verify");
      }
      String requested = PeerIdentity.commonName(request.getSubject());
      if (!name.equals(requested)) {
        throw new IllegalArgumentException(csr + ": the request is for '" + requested + "', not '" + name + "'");
      }
      PublicKey publicKey = new JcaPEMKeyConverter().getPublicKey(request.getSubjectPublicKeyInfo());
      return issue(name, role, publicKey, hosts, validity);
    } catch (OperatorCreationException | PKCSException e) {
      throw new IllegalArgumentException(csr + ": cannot verify the request: " + e.getMessage(), e);
    }
  }

  /** A fresh key (written owner-only to {@code keyFile}) and a PEM certificate request for {@code name}. */
  public static String request(String name, Path keyFile) throws IOException {
    checkName("name", name);
    KeyPair pair = newKeyPair();
    PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(name(name, null), pair.getPublic())
        .build(signer(pair.getPrivate()));
    writePrivate(keyFile, pair.getPrivate());
    return Pem.write(csr);
  }

  private synchronized X509Certificate issue(String name, Role role, PublicKey publicKey, List<String> hosts,
      Duration validity) throws IOException {
    checkName("name", name);
    Map<String, String[]> index = index();
    String[] existing = index.get(name);
    if (existing != null && !revoked().containsKey(new BigInteger(existing[0], 16))) {
      throw new IllegalArgumentException("'" + name + "' already has a certificate (serial " + existing[0]
          + "): revoke it first");
    }
    Instant now = Instant.now();
    BigInteger serial = serial();
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial,
          Date.from(now.minusSeconds(300)), Date.from(now.plus(validity)), name(name, federationId()), publicKey);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(role == Role.COORDINATOR
          ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
      builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(certificate));
      if (role == Role.COORDINATOR) {
        List<GeneralName> names = new ArrayList<>();
        for (String host : hosts.isEmpty() ? List.of("localhost", "127.0.0.1") : hosts) {
          names.add(host.matches("[0-9.]+|.*:.*") ? new GeneralName(GeneralName.iPAddress, host)
              : new GeneralName(GeneralName.dNSName, host));
        }
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
      }
      X509Certificate cert = convert(builder.build(signer(key)));
      Files.writeString(dir.resolve("issued.txt"), name + " " + serial.toString(16) + " " + role.name().toLowerCase()
          + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
      return cert;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot issue a certificate for " + name + ": " + e.getMessage(), e);
    }
  }

  /** Revokes {@code name}'s current certificate and rewrites {@code crl.pem} (the coordinator reloads it). */
  public synchronized BigInteger revoke(String name) throws IOException {
    String[] entry = index().get(name);
    if (entry == null) {
      throw new IllegalArgumentException("no certificate was issued to '" + name + "'");
    }
    BigInteger serial = new BigInteger(entry[0], 16);
    Map<BigInteger, Date> revoked = new LinkedHashMap<>(revoked());
    if (revoked.containsKey(serial)) {
      throw new IllegalArgumentException("'" + name + "' (serial " + entry[0] + ") is already revoked");
    }
    revoked.put(serial, new Date());
    writeCrl(revoked);
    return serial;
  }

  /** The current revocation list. */
  public X509CRL crl() throws IOException {
    return Pem.crl(dir.resolve("crl.pem"));
  }

  private Map<BigInteger, Date> revoked() throws IOException {
    Map<BigInteger, Date> out = new LinkedHashMap<>();
    if (Files.exists(dir.resolve("crl.pem"))) {
      X509CRL crl = crl();
      if (crl.getRevokedCertificates() != null) {
        crl.getRevokedCertificates().forEach(e -> out.put(e.getSerialNumber(), e.getRevocationDate()));
      }
    }
    return out;
  }

  private void writeCrl(Map<BigInteger, Date> revoked) throws IOException {
    Instant now = Instant.now();
    X509v2CRLBuilder builder = new X509v2CRLBuilder(X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
        Date.from(now.minusSeconds(60)));
    builder.setNextUpdate(Date.from(now.plus(Duration.ofDays(30))));
    revoked.forEach((serial, date) -> builder.addCRLEntry(serial, date, CRLReason.privilegeWithdrawn));
    try {
      X509CRL crl = new JcaX509CRLConverter().getCRL(builder.build(signer(key)));
      Path tmp = dir.resolve("crl.pem.tmp");
      writePem(tmp, crl);
      Files.move(tmp, dir.resolve("crl.pem"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign the revocation list: " + e.getMessage(), e);
    }
  }

  /** name -> {serial hex, role}, the latest certificate of each name. */
  private Map<String, String[]> index() throws IOException {
    Map<String, String[]> out = new LinkedHashMap<>();
    Path file = dir.resolve("issued.txt");
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] parts = line.trim().split(" ");
        if (parts.length == 3) {
          out.put(parts[0], new String[] {parts[1], parts[2]});
        }
      }
    }
    return out;
  }

  private String federationId() {
    return PeerIdentity.organisation(X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()));
  }

  private static X500Name name(String commonName, String organisation) {
    X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName);
    if (organisation != null) {
      builder.addRDN(BCStyle.O, organisation);
    }
    return builder.build();
  }

  private static void checkName(String what, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(what + " must be 1-64 characters of [A-Za-z0-9._-], got '" + name + "'");
    }
  }

  private static BigInteger serial() {
    return new BigInteger(127, new SecureRandom()).add(BigInteger.ONE);
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 is not available: " + e.getMessage(), e);
    }
  }

  private static ContentSigner signer(PrivateKey key) {
    try {
      return new JcaContentSignerBuilder(SIGNATURE).build(key);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate convert(X509CertificateHolder holder) throws GeneralSecurityException {
    return new JcaX509CertificateConverter().getCertificate(holder);
  }

  private static void writePem(Path file, Object object) throws IOException {
    Files.writeString(file, Pem.write(object), StandardCharsets.US_ASCII);
  }

  /** PKCS#8 PEM, readable by the owner only (where the file system has POSIX permissions). */
  private static void writePrivate(Path file, PrivateKey key) throws IOException {
    OwnerOnlyFile.write(file, Pem.write(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null)), true);
  }
}
