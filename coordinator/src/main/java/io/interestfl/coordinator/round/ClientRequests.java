package io.interestfl.coordinator.round;

import io.interestfl.coordinator.catalogue.Catalogue;
import io.interestfl.coordinator.config.CoordinatorConfig;
import io.interestfl.coordinator.privacy.PrivacyGate;
import io.interestfl.coordinator.registry.ClientRegistry;
import io.interestfl.protocol.v1.CatalogueInfo;
import io.interestfl.protocol.v1.EvaluationReport;
import io.interestfl.protocol.v1.RegisterRequest;
import io.interestfl.protocol.v1.RegisterResponse;
import io.interestfl.protocol.v1.SecAggPhase;
import io.interestfl.protocol.v1.Task;
import io.interestfl.protocol.v1.TaskRequest;
import io.interestfl.protocol.v1.TrainingConfig;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The client requests that do not move the round loop on: registration, polling for a task,
 * downloading the model and the catalogue, evaluation reports, and the SecAgg+ messages of the open
 * round (whose phases the loop closes on its tick). Each is validated first; a {@link Rejection}
 * changes nothing. Runs on the coordinator's event loop, like the {@link RoundController} it reads.
 */
public final class ClientRequests {
  private static final Logger LOG = Logger.getLogger(RoundController.class.getName());

  private final CoordinatorConfig config;
  private final Catalogue catalogue;
  private final CatalogueInfo catalogueInfo;
  private final ClientRegistry registry;
  private final RequestValidator requests;
  private final TaskPlanner tasks;
  private final EvaluationBook evaluations;
  private final Supplier<RoundView> state;

  ClientRequests(CoordinatorConfig config, Catalogue catalogue, ClientRegistry registry, RequestValidator requests,
      TrainingConfig training, PrivacyGate privacy, EvaluationBook evaluations, Supplier<RoundView> state) {
    this.config = config;
    this.catalogue = catalogue;
    this.catalogueInfo = CatalogueInfo.newBuilder().setSha256(catalogue.sha256()).setSize(catalogue.size()).build();
    this.registry = registry;
    this.requests = requests;
    this.tasks = new TaskPlanner(config, registry, training, privacy, catalogueInfo);
    this.evaluations = evaluations;
    this.state = state;
  }

  public RegisterResponse register(RegisterRequest request) {
    return register(request, null);
  }

  /**
   * Registration over mutual TLS: {@code certificate} is the one the connection authenticated with; under secure
   * aggregation the identity key must be signed by it (the binding every cohort member checks).
   */
  public RegisterResponse register(RegisterRequest request, java.security.cert.X509Certificate certificate) {
    requests.registration(request);
    String name = request.getClientName();
    byte[] der = null;
    if (certificate != null && config.secureAggregation.enabled) {
      if (!io.interestfl.security.IdentityBinding.verify(certificate, config.federationId,
          request.getIdentityKey().toByteArray(), request.getIdentityKeySignature().toByteArray())) {
        throw new Rejection(io.vertx.grpc.common.GrpcStatus.PERMISSION_DENIED, "identity_key_signature does not "
            + "verify with this node's certificate: the SecAgg identity key must be signed by it");
      }
      try {
        der = certificate.getEncoded();
      } catch (java.security.cert.CertificateEncodingException e) {
        throw Rejection.invalid("unreadable client certificate: " + e.getMessage());
      }
    }
    ClientRegistry.Client previous = registry.find(name).orElse(null);
    registry.register(name, request.getRegion(), request.getNumExamples(), request.getNumCustomers(),
        request.getIdentityKey().toByteArray(), der, request.getIdentityKeySignature().toByteArray(),
        System.currentTimeMillis());
    boolean unchanged = previous != null && previous.withdrawnBecause() == null
        && previous.region().equals(request.getRegion()) && previous.numExamples() == request.getNumExamples()
        && previous.numCustomers() == request.getNumCustomers()
        && java.util.Arrays.equals(previous.identityKey(), request.getIdentityKey().toByteArray());
    // a node re-registering with nothing new (e.g. after a reconnect) is not news; anything else is
    LOG.log(unchanged ? java.util.logging.Level.FINE : java.util.logging.Level.INFO, String.format(
        "client %s registered (region %s, %d examples, %d customers)", name, request.getRegion(),
        request.getNumExamples(), request.getNumCustomers()));
    return RegisterResponse.newBuilder()
        .setFederationId(config.federationId)
        .setClientId(name)
        .setCatalogue(catalogueInfo)
        .build();
  }

  public Task task(TaskRequest request) {
    String clientId = requests.registered(request.getFederationId(), request.getClientId());
    registry.touch(clientId, System.currentTimeMillis());
    return tasks.task(state.get(), clientId);
  }

  /** The current global model, if {@code version} is current. The array is never modified. */
  public float[] model(String federationId, String clientId, long version) {
    requests.registered(federationId, clientId);
    RoundView now = state.get();
    if (version != now.modelVersion()) {
      throw Rejection.stale("model version " + version + " is not current (current is v" + now.modelVersion() + ")");
    }
    return now.model();
  }

  public Catalogue catalogue() {
    return catalogue;
  }

  public void report(EvaluationReport report) {
    String clientId = requests.registered(report.getFederationId(), report.getClientId());
    RoundView now = state.get();
    evaluations.report(clientId, report, now.modelVersion(), now.round());
  }

  /** The server's SecAgg+ message for a client in the current phase of the open round. */
  public byte[] secAggPayload(String federationId, String clientId, long roundId, SecAggPhase requested) {
    RoundView now = state.get();
    return requests.secureRound(now.phase(), now.round(), federationId, clientId, roundId)
        .payload(clientId, requested);
  }

  /** A client's SecAgg+ reply; a refused message changes nothing. */
  public void secAggSubmit(String federationId, String clientId, long roundId, SecAggPhase submitted, byte[] message,
      double maskingMillis) {
    RoundView now = state.get();
    requests.secureRound(now.phase(), now.round(), federationId, clientId, roundId)
        .submit(clientId, submitted, message, maskingMillis);
  }

  /** Largest SecAgg+ message a client may send: a masked input of the model plus headroom for keys. */
  public long maxSecAggMessageBytes() {
    return 4L * (state.get().model().length + 1) + (1 << 20);
  }
}
