package io.interestfl.cli;

import io.interestfl.security.FederationCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./interestfl admin}: the federation's PKI (a CA, certificates for the coordinator and the nodes, revocation). */
@Command(name = "admin", mixinStandardHelpOptions = true,
    description = "The federation's certificate authority: mutual TLS identities for the coordinator and every node.",
    subcommands = {AdminCommand.InitCa.class, AdminCommand.Issue.class, AdminCommand.Request.class,
        AdminCommand.Revoke.class})
public final class AdminCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(name = "init-ca", mixinStandardHelpOptions = true,
      description = "Creates the federation's CA (EC P-256): ca.key (owner-only), ca.crt and an empty revocation list.")
  static final class InitCa implements Callable<Integer> {
    @Option(names = "--dir", defaultValue = "pki", description = "the CA's directory (default: ${DEFAULT-VALUE})")
    Path dir;
    @Option(names = "--federation-id", defaultValue = "interestfl",
        description = "the federation the CA serves (default: ${DEFAULT-VALUE})")
    String federationId;
    @Option(names = "--days", defaultValue = "3650", description = "validity of the CA certificate (default: ${DEFAULT-VALUE})")
    int days;

    @Override
    public Integer call() throws Exception {
      FederationCa ca = FederationCa.create(dir, federationId, Duration.ofDays(days));
      System.out.println("CA for federation " + federationId + " in " + dir + ": " + ca.certificate().getSubjectX500Principal()
          + "; keep " + dir.resolve("ca.key") + " offline");
      return 0;
    }
  }

  @Command(name = "issue", mixinStandardHelpOptions = true,
      description = "Issues a certificate for NAME: from a certificate request (--csr; the key never leaves the node), "
          + "or as a startup kit (NAME.key, NAME.crt, ca.crt) to hand over on a trusted channel.")
  static final class Issue implements Callable<Integer> {
    @Parameters(index = "0", description = "the node's (or the coordinator's) name; a node's name in the federation")
    String name;
    @Option(names = "--dir", defaultValue = "pki", description = "the CA's directory (default: ${DEFAULT-VALUE})")
    Path dir;
    @Option(names = "--role", defaultValue = "node", description = "node, coordinator or admin (default: ${DEFAULT-VALUE})")
    String role;
    @Option(names = "--host", split = ",", description = "coordinator only: host names or IP addresses it serves on "
        + "(default: localhost,127.0.0.1)")
    List<String> hosts = new ArrayList<>();
    @Option(names = "--csr", description = "a PEM certificate request (from `admin request`); without it a kit is made")
    Path csr;
    @Option(names = "--out", description = "where the kit (or NAME.crt) goes (default: DIR/kits/NAME)")
    Path out;
    @Option(names = "--days", defaultValue = "365", description = "validity (default: ${DEFAULT-VALUE})")
    int days;

    @Override
    public Integer call() throws Exception {
      FederationCa.Role r = switch (role) {
        case "node" -> FederationCa.Role.NODE;
        case "coordinator" -> FederationCa.Role.COORDINATOR;
        case "admin" -> FederationCa.Role.ADMIN;
        default -> throw new IllegalArgumentException("--role must be node, coordinator or admin, got '" + role + "'");
      };
      FederationCa ca = FederationCa.open(dir);
      Path target = out != null ? out : dir.resolve("kits").resolve(name);
      if (csr != null) {
        var cert = ca.issueFromRequest(name, r, csr, hosts, Duration.ofDays(days));
        Files.createDirectories(target);
        Files.writeString(target.resolve(name + ".crt"), io.interestfl.security.Pem.write(cert));
        Files.copy(dir.resolve("ca.crt"), target.resolve("ca.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } else {
        ca.issueKit(name, r, hosts, Duration.ofDays(days), target);
      }
      System.out.println("issued " + role + " certificate for " + name + " into " + target);
      return 0;
    }
  }

  @Command(name = "request", mixinStandardHelpOptions = true,
      description = "On the node: a new key (owner-only) and a certificate request for NAME, to send to the CA.")
  static final class Request implements Callable<Integer> {
    @Parameters(index = "0", description = "this node's name")
    String name;
    @Option(names = "--key", required = true, description = "where the private key is written")
    Path key;
    @Option(names = "--out", required = true, description = "where the PEM request is written")
    Path out;

    @Override
    public Integer call() throws Exception {
      Files.writeString(out, FederationCa.request(name, key));
      System.out.println("key " + key + " (keep it here), request " + out + " (send it to the CA)");
      return 0;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = "Revokes NAME's certificate: crl.pem is rewritten and the coordinator refuses it within "
          + "tls.crl-reload-seconds, without a restart.")
  static final class Revoke implements Callable<Integer> {
    @Parameters(index = "0", description = "the name to revoke")
    String name;
    @Option(names = "--dir", defaultValue = "pki", description = "the CA's directory (default: ${DEFAULT-VALUE})")
    Path dir;

    @Override
    public Integer call() throws Exception {
      var serial = FederationCa.open(dir).revoke(name);
      System.out.println("revoked " + name + " (serial " + serial.toString(16) + "); " + dir.resolve("crl.pem") + " updated");
      return 0;
    }
  }
}
