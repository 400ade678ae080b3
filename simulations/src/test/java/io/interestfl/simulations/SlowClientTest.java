package io.interestfl.simulations;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.serving.RecommendationServer;
import io.interestfl.serving.StaticRepresentations;
import io.interestfl.serving.policy.ItemSpace;
import io.interestfl.serving.policy.Policies;
import io.interestfl.serving.policy.PolicyConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's slowloris: connections that trickle a byte every 300 ms never go idle, so an idle timeout alone kept
 * them open 90 s and more. Every server now closes them at its deadline: the gRPC port during the TLS handshake,
 * the admin port and the recommendation API while the headers trickle, the recommendation API while a body trickles.
 */
class SlowClientTest {
  static final int HEADER_SECONDS = 2;
  static final int BODY_SECONDS = 3;

  @Test
  void everyServerClosesATricklingConnectionAtItsDeadline(@TempDir Path dir) throws Exception {
    try (InProcessFederation federation = new InProcessFederation(dir, "slow", 8, 16, 1e-3)) {
      federation.config.minClients = 5;
      federation.config.headerTimeoutSeconds = HEADER_SECONDS;
      federation.config.bodyTimeoutSeconds = BODY_SECONDS;
      federation.start();
      float[][] vectors = new float[10][4];
      double[] popularity = new double[10];
      java.util.Arrays.fill(popularity, 1);
      ItemSpace items = new ItemSpace(vectors, null, null, popularity, 2);
      RecommendationServer serving = new RecommendationServer(new StaticRepresentations(items, Map.of()),
          Policies.create("thompson", items, PolicyConfig.defaults(3)), dir.resolve("feedback.csv"), "127.0.0.1", 0, 1,
          "token-0123456789abcdef").deadlines(HEADER_SECONDS, BODY_SECONDS);
      int servingPort = serving.start().await(30, TimeUnit.SECONDS);
      try {
        // a TLS ClientHello, one byte at a time
        double grpc = secondsUntilClosed(new Socket("127.0.0.1", federation.grpcPort()),
            new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03});
        assertClosedAt("gRPC port (TLS handshake)", grpc, HEADER_SECONDS);

        SSLSocket admin = (SSLSocket) trusting(dir.resolve("pki/ca.crt")).getSocketFactory()
            .createSocket("127.0.0.1", federation.adminPort());
        admin.startHandshake();
        double adminHeaders = secondsUntilClosed(admin, ("GET /status HTTP/1.1\r\nHost: x\r\n"
            + "X-Slow: " + "a".repeat(100)).getBytes(StandardCharsets.US_ASCII));
        assertClosedAt("admin port (headers)", adminHeaders, HEADER_SECONDS);

        double servingHeaders = secondsUntilClosed(new Socket("127.0.0.1", servingPort),
            ("GET /v1/recommendations?customer=1 HTTP/1.1\r\nHost: x\r\nX-Slow: " + "a".repeat(100))
                .getBytes(StandardCharsets.US_ASCII));
        assertClosedAt("recommendation API (headers)", servingHeaders, HEADER_SECONDS);

        Socket body = new Socket("127.0.0.1", servingPort);
        body.getOutputStream().write(("POST /v1/feedback HTTP/1.1\r\nHost: x\r\n"
            + "Authorization: Bearer token-0123456789abcdef\r\nContent-Type: application/json\r\n"
            + "Content-Length: 200\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        double servingBody = secondsUntilClosed(body, "{\"customer\": \"1\", ".repeat(20).getBytes(StandardCharsets.US_ASCII));
        assertClosedAt("recommendation API (body)", servingBody, BODY_SECONDS);
        System.out.printf("slowloris closed after: gRPC %.1f s, admin %.1f s, recommendation headers %.1f s, body %.1f s%n",
            grpc, adminHeaders, servingHeaders, servingBody);
      } finally {
        serving.stop().await(30, TimeUnit.SECONDS);
      }
    }
  }

  private static void assertClosedAt(String server, double seconds, int deadline) {
    assertTrue(seconds >= deadline - 0.5 && seconds <= deadline + 3,
        server + ": closed after " + seconds + " s, deadline " + deadline + " s");
  }

  /** Writes {@code bytes} one every 300 ms; the seconds until the server closed the connection (at most 30). */
  private static double secondsUntilClosed(Socket socket, byte[] bytes) throws IOException {
    long start = System.nanoTime();
    socket.setSoTimeout(300);
    OutputStream out = socket.getOutputStream();
    InputStream in = socket.getInputStream();
    try (socket) {
      for (int i = 0; (System.nanoTime() - start) < 30e9; i++) {
        try {
          out.write(bytes[i % bytes.length]);
          out.flush();
        } catch (IOException closed) {
          break;
        }
        try {
          if (in.read() < 0) {
            break;
          }
        } catch (SocketTimeoutException stillOpen) {
          // nothing yet: trickle on
        } catch (IOException closed) {
          break;
        }
      }
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static SSLContext trusting(Path caCert) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(caCert)) {
      store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }
}
