package io.interestfl.serving;

import io.interestfl.serving.policy.DiversityConstraint;
import io.interestfl.serving.policy.ItemSpace;
import io.interestfl.serving.policy.Policies;
import io.interestfl.serving.policy.PolicyConfig;
import io.interestfl.serving.policy.PosteriorPolicy;
import io.interestfl.serving.policy.Feedback;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load benchmark of {@code GET /v1/recommendations}: starts a {@link RecommendationServer} over a synthetic
 * catalogue and drives it from closed-loop {@code java.net.http} clients on loopback for a fixed duration
 * (after a warm-up), then prints p50/p95/p99/max latency and requests/s. Server and load generator share the
 * JVM and the machine's cores, so the figures are an upper bound on the server's own latency.
 */
@Command(name = "serving", mixinStandardHelpOptions = true,
        description = "p50/p95/p99 latency and throughput of GET /v1/recommendations on loopback.")
public final class ServingBenchmark implements Callable<Integer> {
    @Mixin
    SyntheticDataOptions data = new SyntheticDataOptions(4000);
    @Option(names = "--dim", description = "Item/customer vector dimension (hidden size of the model) (default: ${DEFAULT-VALUE}).")
    int dim = 64;
    @Option(names = "--customers", description = "Known customers; 10%% of requests are for unknown ones (default: ${DEFAULT-VALUE}).")
    int customers = 10_000;
    @Option(names = "--policy", description = "Policy (default: ${DEFAULT-VALUE}).")
    String policy = "thompson";
    @Option(names = "--k", description = "Slate size (default: ${DEFAULT-VALUE}).")
    int k = 10;
    @Option(names = "--concurrency", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
    int concurrency = 4;
    @Option(names = "--warmup", description = "Warm-up seconds (default: ${DEFAULT-VALUE}).")
    int warmup = 5;
    @Option(names = "--duration", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
    int duration = 20;
    @Option(names = "--observations", description = "Feedback observations per known customer before the run, so that posteriors are dense (default: ${DEFAULT-VALUE}).")
    int observations = 20;
    @Option(names = "--baseline-duration", description = "Seconds of the same load on GET /health first, the same-run "
            + "baseline without a policy; 0 = none (default: ${DEFAULT-VALUE}).")
    int baselineDuration = 5;
    @Option(names = "--json", description = JsonOutput.HELP)
    boolean json;
    @Mixin
    PolicyOptions policyOptions = new PolicyOptions();

    public static void main(String[] args) {
        System.exit(new CommandLine(new ServingBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        try (JsonOutput output = JsonOutput.open(json)) {
            return measure(output);
        }
    }

    private Integer measure(JsonOutput output) throws Exception {
        int items = data.items();
        long seed = data.seed();
        if (duration < 1 || concurrency < 1 || warmup < 0 || baselineDuration < 0 || items < 3 || k < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "need --duration >= 1 (got %d), --concurrency "
                    + ">= 1 (%d), --warmup >= 0 (%d), --baseline-duration >= 0 (%d), --items >= 3 (%d), --k >= 1 (%d)",
                    duration, concurrency, warmup, baselineDuration, items, k));
        }
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] v = new float[items][dim];
        int[] cat = new int[items];
        double[] pop = new double[items];
        for (int i = 0; i < items; i++) {
            for (int j = 0; j < dim; j++) {
                v[i][j] = (float) (rng.nextGaussian() * 0.1);
            }
            cat[i] = rng.nextInt(50);
            pop[i] = 1.0 / (i + 1);
        }
        Map<String, float[]> known = new HashMap<>();
        for (int u = 0; u < customers; u++) {
            float[] x = new float[dim];
            for (int j = 0; j < dim; j++) {
                x[j] = (float) (rng.nextGaussian() * 0.3);
            }
            known.put(Integer.toString(u), x);
        }
        ItemSpace space = new ItemSpace(v, null, cat, pop, 2);
        PolicyConfig cfg = policyOptions.config(seed).withDiversity(new DiversityConstraint(3));
        Path log = Files.createTempFile("serving-bench", ".csv");
        PosteriorPolicy pol = Policies.create(policy, space, cfg);
        for (int u = 0; u < customers; u++) {
            for (int o = 0; o < observations; o++) {
                pol.update(Feedback.observed(Integer.toString(u), 2 + rng.nextInt(items - 2), rng.nextInt(4) == 0 ? 1 : 0));
            }
        }
        RecommendationServer server = new RecommendationServer(new StaticRepresentations(space, known), pol, log, 0);
        int port = server.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                    .version(HttpClient.Version.HTTP_1_1).build();
            String base = "http://127.0.0.1:" + port;
            String recommendations = base + "/v1/recommendations?k=" + k + "&customer=";
            java.util.function.Function<SplittableRandom, String> request = r -> recommendations
                    + (r.nextInt(10) == 0 ? "new-" + r.nextInt(1_000_000) : Integer.toString(r.nextInt(customers)));
            if (warmup > 0) {
                Load warm = load(http, request, 0, warmup, 0);   // JIT, connections, posteriors' caches
                if (warm.errors() > 0) {
                    throw new IllegalStateException(warm.errors() + " requests failed during the warm-up");
                }
            }
            // the same clients on GET /health: what HTTP, loopback and the load generator cost without a policy
            Load baseline = baselineDuration == 0 ? null : load(http, r -> base + "/health", 1, 1, baselineDuration);
            Load run = load(http, request, 2, 0, duration);
            int cores = Runtime.getRuntime().availableProcessors();
            if (json) {
                JsonObject out = new JsonObject().put("policy", policy).put("items", items).put("dim", dim).put("k", k)
                        .put("observations", observations).put("clients", concurrency).put("seconds", duration)
                        .put("cores", cores).put("recommendations", run.toJson());
                if (baseline != null) {
                    out.put("health", baseline.toJson()).put("throughputRatio", run.perSecond() / baseline.perSecond());
                }
                output.document().println(out.encodePrettily());
            } else {
                System.out.printf(Locale.ROOT, "policy %s, %d items x %d dims, k %d, %d observations per known customer, "
                                + "%d clients, %d s (after %d s warm-up), %d cores%n", policy, items, dim, k, observations,
                        concurrency, duration, warmup, cores);
                System.out.println("recommendations: " + run);
                if (baseline != null) {
                    System.out.println("health (same clients, no policy, " + baselineDuration + " s): " + baseline);
                    System.out.printf(Locale.ROOT, "recommendations / health: %.2f of the throughput, p50 %.1fx%n",
                            run.perSecond() / baseline.perSecond(), run.p50() / baseline.p50());
                }
            }
            return run.errors() == 0 && (baseline == null || baseline.errors() == 0) ? 0 : 1;
        } finally {
            server.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            Files.deleteIfExists(log);
        }
    }

    /** Latencies of one closed-loop load phase. */
    record Load(int requests, long errors, double seconds, double p50, double p95, double p99, double max) {
        double perSecond() {
            return requests / seconds;
        }

        JsonObject toJson() {
            return new JsonObject().put("requests", requests).put("errors", errors).put("requestsPerSecond", perSecond())
                    .put("p50Ms", p50).put("p95Ms", p95).put("p99Ms", p99).put("maxMs", max);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "requests %d, errors %d, %.0f requests/s, latency ms: p50 %.2f  p95 %.2f"
                    + "  p99 %.2f  max %.2f", requests, errors, perSecond(), p50, p95, p99, max);
        }
    }

    /**
     * {@code concurrency} closed-loop clients GET {@code url(rng)} for {@code warmupSeconds + seconds}; the warm-up is
     * neither timed nor counted. Each phase has its own random streams, so a phase does not replay the customers of the
     * one before (whose posteriors would be in cache).
     */
    private Load load(HttpClient http, java.util.function.Function<SplittableRandom, String> url, int phase,
                      int warmupSeconds, int seconds) throws InterruptedException {
        long[][] lat = new long[concurrency][];
        int[] counts = new int[concurrency];
        AtomicLong errors = new AtomicLong();
        long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds);
        long end = warmEnd + TimeUnit.SECONDS.toNanos(seconds);
        Thread[] threads = new Thread[concurrency];
        for (int c = 0; c < concurrency; c++) {
            int id = c;
            threads[c] = new Thread(() -> {
                SplittableRandom r = new SplittableRandom(data.seed() * 1000 + (long) phase * concurrency + id);
                long[] mine = new long[1 << 16];
                int n = 0;
                while (true) {
                    long t0 = System.nanoTime();
                    if (t0 >= end) {
                        break;
                    }
                    try {
                        HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(url.apply(r)))
                                .GET().build(), HttpResponse.BodyHandlers.ofString());
                        if (resp.statusCode() != 200 && t0 >= warmEnd) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        if (t0 >= warmEnd) {
                            errors.incrementAndGet();
                        }
                    }
                    long t1 = System.nanoTime();
                    if (t0 >= warmEnd) {
                        if (n == mine.length) {
                            mine = Arrays.copyOf(mine, n * 2);
                        }
                        mine[n++] = t1 - t0;
                    }
                }
                lat[id] = mine;
                counts[id] = n;
            }, "load-" + c);
            threads[c].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int off = 0;
        for (int c = 0; c < concurrency; c++) {
            System.arraycopy(lat[c], 0, all, off, counts[c]);
            off += counts[c];
        }
        Arrays.sort(all);
        return new Load(total, errors.get(), seconds, pct(all, 0.50), pct(all, 0.95), pct(all, 0.99),
                all.length == 0 ? 0 : all[all.length - 1] / 1e6);
    }

    /** Nearest-rank percentile in milliseconds. */
    static double pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int idx = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))] / 1e6;
    }
}
