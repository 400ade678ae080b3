package io.interestfl.coordinator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The coordinator's Prometheus metrics (Micrometer), scraped at {@code GET /metrics} on the admin port. Names follow
 * Prometheus conventions (snake case, base units, {@code _total} counters); docs/operator-guide.md lists them:
 * rounds committed / not committed, round duration, clients selected / reported / dropped, bytes received, updates
 * clipped, SecAgg+ unmasking time and dropouts, the privacy ledger's epsilon, model version, registered clients,
 * gRPC and admin request latencies by method (a fixed set: a stranger cannot create series), JVM memory, GC, threads.
 * Fed from the round history entries as rounds close ({@link #roundClosed}) and from gauges read at scrape time on
 * the coordinator's event loop.
 */
public final class CoordinatorMetrics {
  /** The Federation service's methods: the only values of the {@code method} label. */
  private static final Set<String> METHODS = Set.of("Register", "GetTask", "DownloadCatalogue", "DownloadModel",
      "UploadUpdate", "ReportEvaluation", "SecAggFetch", "SecAggSubmit", "Withdraw");
  private static final Set<String> ADMIN_PATHS = Set.of("/status", "/health", "/metrics", "/dashboard", "/dashboard/dashboard.js");

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter committed;
  private final Counter notCommitted;
  private final Timer roundDuration;
  private final Counter selected;
  private final Counter reported;
  private final Counter dropped;
  private final Counter bytes;
  private final Counter clipped;
  private final Timer unmask;
  private volatile double epsilon = Double.NaN;
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private volatile double normMean = Double.NaN;
  private volatile double normMax = Double.NaN;
  private volatile double clippedFraction = Double.NaN;

  public CoordinatorMetrics(Supplier<Number> modelVersion, Supplier<Number> registeredClients) {
    committed = Counter.builder("interestfl_rounds_committed").description("rounds that committed a new model")
        .register(registry);
    notCommitted = Counter.builder("interestfl_rounds_failed")
        .description("rounds closed without a new model (retried or stopped)").register(registry);
    roundDuration = Timer.builder("interestfl_round_duration").description("from opening to closing a round")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10))
        .maximumExpectedValue(Duration.ofHours(2)).register(registry);
    selected = Counter.builder("interestfl_round_clients_selected").description("clients asked to train")
        .register(registry);
    reported = Counter.builder("interestfl_round_clients_reported").description("clients whose update was accepted")
        .register(registry);
    dropped = Counter.builder("interestfl_round_clients_dropped")
        .description("cohort members that sent nothing by the round's close").register(registry);
    bytes = Counter.builder("interestfl_update_received_bytes").baseUnit("bytes")
        .description("update bytes received").register(registry);
    clipped = Counter.builder("interestfl_updates_clipped").description("accepted updates the clip stage scaled down")
        .register(registry);
    unmask = Timer.builder("interestfl_secagg_unmask_duration")
        .description("SecAgg+ reconstruction and mask removal at the server").register(registry);
    Gauge.builder("interestfl_privacy_epsilon", () -> epsilon)
        .description("the privacy ledger's epsilon spent so far (NaN without privacy)").register(registry);
    Gauge.builder("interestfl_update_norm_mean", () -> normMean)
        .description("mean L2 norm of the last closed round's plaintext updates as received").register(registry);
    Gauge.builder("interestfl_update_norm_max", () -> normMax)
        .description("largest L2 norm of the last closed round's plaintext updates as received").register(registry);
    Gauge.builder("interestfl_updates_clipped_ratio", () -> clippedFraction)
        .description("share of the last closed round's accepted updates the clip stage scaled down").register(registry);
    Gauge.builder("interestfl_model_version", modelVersion).description("committed model version").register(registry);
    Gauge.builder("interestfl_clients_registered", registeredClients).description("registered client nodes")
        .register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
  }

  /** A round's history entry as it closed. */
  public void roundClosed(JsonObject entry) {
    ("committed".equals(entry.getString("outcome")) ? committed : notCommitted).increment();
    roundDuration.record(entry.getLong("durationMillis", 0L), TimeUnit.MILLISECONDS);
    selected.increment(size(entry.getJsonArray("cohort")));
    reported.increment(size(entry.getJsonArray("participants")));
    dropped.increment(size(entry.getJsonArray("dropped")));
    bytes.increment(entry.getLong("bytesReceived", 0L));
    clipped.increment(entry.getInteger("clippedUpdates", 0));
    int participants = size(entry.getJsonArray("participants"));
    clippedFraction = participants == 0 ? Double.NaN : entry.getInteger("clippedUpdates", 0) / (double) participants;
    normMean = entry.getDouble("updateNormMean", Double.NaN);
    normMax = entry.getDouble("updateNormMax", Double.NaN);
    JsonObject secure = entry.getJsonObject("secureAggregation");
    if (secure != null && secure.containsKey("unmaskMillis")) {
      unmask.record(Math.round(secure.getDouble("unmaskMillis") * 1000), TimeUnit.MICROSECONDS);
    }
    if (entry.containsKey("epsilon")) {
      epsilon = entry.getDouble("epsilon");
    }
  }

  private static int size(JsonArray a) {
    return a == null ? 0 : a.size();
  }

  /** One gRPC call of the Federation service ({@code path} as sent), its gRPC status and duration. */
  public void grpcCall(String path, String grpcStatus, long nanos) {
    String method = path.startsWith("/interestfl.v1.Federation/") ? path.substring(26) : "";
    Timer.builder("interestfl_grpc_server_requests").description("gRPC calls to the Federation service")
        .tag("method", METHODS.contains(method) ? method : "other")
        .tag("status", grpcStatus == null || !grpcStatus.matches("\\d{1,2}") ? "unknown" : grpcStatus)
        .register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** One admin HTTP request. */
  public void adminRequest(String path, int status, long nanos) {
    Timer.builder("interestfl_admin_http_requests").description("admin port HTTP requests")
        .tag("path", ADMIN_PATHS.contains(path) ? path : "other").tag("status", Integer.toString(status))
        .register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Unhooks the GC listeners (the coordinator stopped). */
  public void close() {
    gc.close();
    registry.close();
  }

  /** The Prometheus text exposition format (version 0.0.4). */
  public String scrape() {
    return registry.scrape();
  }
}
