package io.interestfl.security;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** Reads the PEM files of the federation's PKI; every failure names the file. */
public final class Pem {
  private Pem() {}

  public static X509Certificate certificate(Path file) throws IOException {
    Object object = read(file);
    if (!(object instanceof X509CertificateHolder holder)) {
      throw new IOException(file + ": not a PEM certificate");
    }
    try {
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (CertificateException e) {
      throw new IOException(file + ": unreadable certificate: " + e.getMessage(), e);
    }
  }

  public static PrivateKey privateKey(Path file) throws IOException {
    Object object = read(file);
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    if (object instanceof PrivateKeyInfo info) {
      return converter.getPrivateKey(info);
    }
    if (object instanceof PEMKeyPair pair) {
      return converter.getKeyPair(pair).getPrivate();
    }
    throw new IOException(file + ": not an unencrypted PEM private key");
  }

  public static X509CRL crl(Path file) throws IOException {
    Object object = read(file);
    if (!(object instanceof X509CRLHolder holder)) {
      throw new IOException(file + ": not a PEM revocation list");
    }
    try {
      return new JcaX509CRLConverter().getCRL(holder);
    } catch (CRLException e) {
      throw new IOException(file + ": unreadable revocation list: " + e.getMessage(), e);
    }
  }

  /** A TLS client context that trusts only {@code caCert} (for a Java HttpClient talking to the admin port). */
  public static javax.net.ssl.SSLContext trusting(Path caCert) throws IOException {
    try {
      java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("federation-ca", certificate(caCert));
      javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance(
          javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), new java.security.SecureRandom());
      return context;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException(caCert + ": cannot make a trust store: " + e.getMessage(), e);
    }
  }

  /** {@code object} (a certificate, request or CRL) as PEM text. */
  public static String write(Object object) throws IOException {
    java.io.StringWriter out = new java.io.StringWriter();
    try (org.bouncycastle.openssl.jcajce.JcaPEMWriter pem = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(out)) {
      pem.writeObject(object);
    }
    return out.toString();
  }

  private static Object read(Path file) throws IOException {
    if (!Files.isReadable(file)) {
      throw new IOException(file + ": does not exist or is not readable");
    }
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
         PEMParser parser = new PEMParser(reader)) {
      Object object = parser.readObject();
      if (object == null) {
        throw new IOException(file + ": no PEM object in the file");
      }
      return object;
    }
  }
}
