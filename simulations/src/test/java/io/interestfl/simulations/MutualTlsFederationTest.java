package io.interestfl.simulations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.protocol.FederationStub;
import io.interestfl.protocol.RpcException;
import io.interestfl.protocol.v1.RegisterRequest;
import io.interestfl.protocol.v1.WithdrawRequest;
import io.interestfl.security.FederationCa;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's gRPC port under mutual TLS, attacked as issue 15's stranger did: without a certificate, with
 * one from another CA, expired or revoked, over plaintext, and authenticated but claiming another node's name.
 * Every attempt is refused and the federation's state is unchanged.
 */
class MutualTlsFederationTest {
  @Test
  void onlyANodeWithItsOwnValidCertificateMayActAndOnlyAsItself(@TempDir Path dir) throws Exception {
    try (InProcessFederation federation = new InProcessFederation(dir, "tls", 8, 16, 1e-3)) {
      federation.config.minClients = 5;   // no round opens: only registration is exercised
      federation.start();
      Path ca = dir.resolve("pki/ca.crt");
      Path germany = federation.issue("germany");
      Path eve = federation.issue("eve");

      register(stub(federation, germany, "germany", ca), "germany");
      assertRegistered(federation, "germany");

      RpcException impersonation = assertThrows(RpcException.class,
          () -> register(stub(federation, eve, "eve", ca), "germany"));
      assertEquals(GrpcStatus.PERMISSION_DENIED, impersonation.status());
      assertTrue(impersonation.getMessage().contains("authenticated as 'eve'"), impersonation.getMessage());
      RpcException spoofedWithdraw = assertThrows(RpcException.class, () -> stub(federation, eve, "eve", ca)
          .withdraw(WithdrawRequest.newBuilder().setFederationId("tls").setClientId("germany").setReason("x").build())
          .await(20, TimeUnit.SECONDS));
      assertEquals(GrpcStatus.PERMISSION_DENIED, spoofedWithdraw.status());

      // no certificate at all, a plaintext client, a certificate from another CA, an expired one
      assertRefused(new FederationStub(federation.vertx(), address(federation), 20,
          new HttpClientOptions().setTrustOptions(new PemTrustOptions().addCertPath(ca.toString()))));
      assertRefused(new FederationStub(federation.vertx(), address(federation), 20));
      FederationCa other = FederationCa.create(dir.resolve("other-ca"), "tls", Duration.ofDays(1));
      other.issueKit("france", FederationCa.Role.NODE, List.of(), Duration.ofDays(1), dir.resolve("forged"));
      assertRefused(stub(federation, dir.resolve("forged"), "france", ca));
      federation.ca.issueKit("spain", FederationCa.Role.NODE, List.of(), Duration.ofDays(-1), dir.resolve("expired"));
      assertRefused(stub(federation, dir.resolve("expired"), "spain", ca));

      // revoked while the coordinator runs: refused on new connections within the reload period
      federation.ca.revoke("eve");
      Thread.sleep(3_000);
      assertRefused(stub(federation, eve, "eve", ca));

      JsonObject status = federation.status();
      assertEquals(1, status.getJsonArray("clients").size(), status.encodePrettily());
      assertRegistered(federation, "germany");
      assertFalse(status.encode().contains("\"eve\""), "no trace of the attacker in the federation's state");
      assertFalse(status.encode().contains("withdrawn\":\"x"), "the spoofed withdrawal changed nothing");
    }
  }

  @Test
  void underSecureAggregationTheIdentityKeyMustBeSignedByTheNodesCertificate(@TempDir Path dir) throws Exception {
    try (InProcessFederation federation = new InProcessFederation(dir, "tls", 8, 16, 1e-3)) {
      federation.config.minClients = 5;
      federation.config.secureAggregation.enabled = true;
      federation.start();
      Path ca = dir.resolve("pki/ca.crt");
      Path germany = federation.issue("germany");
      byte[] identity = io.interestfl.secagg.crypto.Ed25519Identity.generate(new java.security.SecureRandom()).publicKey();
      byte[] other = io.interestfl.secagg.crypto.Ed25519Identity.generate(new java.security.SecureRandom()).publicKey();
      java.security.PrivateKey key = io.interestfl.security.Pem.privateKey(germany.resolve("germany.key"));
      byte[] signature = io.interestfl.security.IdentityBinding.sign(key, "tls", "germany", identity);
      RpcException substituted = assertThrows(RpcException.class, () -> stub(federation, germany, "germany", ca)
          .register(RegisterRequest.newBuilder().setFederationId("tls").setClientName("germany").setNumExamples(10)
              .setIdentityKey(com.google.protobuf.ByteString.copyFrom(other))
              .setIdentityKeySignature(com.google.protobuf.ByteString.copyFrom(signature)).build())
          .await(20, TimeUnit.SECONDS));
      assertEquals(GrpcStatus.PERMISSION_DENIED, substituted.status());
      assertTrue(substituted.getMessage().contains("must be signed by it"), substituted.getMessage());
      stub(federation, germany, "germany", ca).register(RegisterRequest.newBuilder().setFederationId("tls")
          .setClientName("germany").setNumExamples(10).setIdentityKey(com.google.protobuf.ByteString.copyFrom(identity))
          .setIdentityKeySignature(com.google.protobuf.ByteString.copyFrom(signature)).build())
          .await(20, TimeUnit.SECONDS);
      assertRegistered(federation, "germany");
    }
  }

  private static SocketAddress address(InProcessFederation federation) {
    return SocketAddress.inetSocketAddress(federation.grpcPort(), "127.0.0.1");
  }

  private static FederationStub stub(InProcessFederation federation, Path kit, String name, Path ca) {
    return new FederationStub(federation.vertx(), address(federation), 20,
        FederationStub.mutualTls(kit.resolve(name + ".crt"), kit.resolve(name + ".key"), ca));
  }

  private static void register(FederationStub stub, String name) throws Exception {
    stub.register(RegisterRequest.newBuilder().setFederationId("tls").setClientName(name).setNumExamples(10).build())
        .await(20, TimeUnit.SECONDS);
  }

  private static void assertRefused(FederationStub stub) {
    assertThrows(Exception.class, () -> register(stub, "mallory"));
  }

  private static void assertRegistered(InProcessFederation federation, String name) throws Exception {
    assertTrue(federation.status().getJsonArray("clients").encode().contains("\"" + name + "\""));
  }
}
