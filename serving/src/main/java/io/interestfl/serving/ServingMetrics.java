package io.interestfl.serving;

import io.interestfl.serving.policy.Slate;
import io.interestfl.serving.policy.Slot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The client node's Prometheus metrics (Micrometer), scraped at {@code GET /metrics} on the recommendation port with
 * the serving token: recommendation latency (a histogram), the serving policy's slot mix (exploit, explore; and how
 * many were rebuys from the customer's own history), cold starts, feedback events by kind, HTTP requests by route
 * (a fixed set of routes) and status, JVM memory, GC and threads.
 */
final class ServingMetrics {
  private static final Set<String> ROUTES = Set.of("/v1/recommendations", "/v1/feedback", "/v1/customers",
      "/v1/profile", "/v1/node", "/health", "/metrics", "/console", "/console/console.js");
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer latency;
  private final Counter exploit;
  private final Counter explore;
  private final Counter repeat;
  private final Counter coldStarts;
  private final JvmGcMetrics gc = new JvmGcMetrics();

  ServingMetrics() {
    latency = Timer.builder("interestfl_recommendation_latency").description("time to build a slate")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(10_000))
        .maximumExpectedValue(Duration.ofSeconds(1)).register(registry);
    exploit = Counter.builder("interestfl_recommendation_slots").tag("kind", "exploit")
        .description("slots served, by why they are there").register(registry);
    explore = Counter.builder("interestfl_recommendation_slots").tag("kind", "explore")
        .description("slots served, by why they are there").register(registry);
    repeat = Counter.builder("interestfl_recommendation_repeat_slots")
        .description("slots that re-recommend an item from the customer's own history").register(registry);
    coldStarts = Counter.builder("interestfl_recommendation_cold_starts")
        .description("slates for customers the model does not know").register(registry);
    for (FeedbackEvent.Type event : FeedbackEvent.Type.values()) {
      Counter.builder("interestfl_feedback_events").tag("event", event.wireName())
          .description("feedback events recorded").register(registry);
    }
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
  }

  /** Unhooks the GC listeners (the server stopped). */
  void close() {
    gc.close();
    registry.close();
  }

  void slate(Slate slate, int repeats, long nanos) {
    latency.record(nanos, TimeUnit.NANOSECONDS);
    for (Slot s : slate.slots()) {
      (s.kind() == io.interestfl.serving.policy.SlotKind.EXPLOIT ? exploit : explore).increment();
    }
    repeat.increment(repeats);
    if (slate.coldStart()) {
      coldStarts.increment();
    }
  }

  void feedback(String event) {
    registry.counter("interestfl_feedback_events", "event", event).increment();
  }

  void request(String path, int status, long nanos) {
    Timer.builder("interestfl_serving_http_requests").description("recommendation port HTTP requests")
        .tag("route", ROUTES.contains(path) ? path : path.startsWith("/v1/profile/") ? "/v1/profile" : "other")
        .tag("status", Integer.toString(status)).register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }

  String scrape() {
    return registry.scrape();
  }
}
