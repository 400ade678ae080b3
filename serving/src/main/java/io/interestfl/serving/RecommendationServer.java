package io.interestfl.serving;

import io.interestfl.serving.policy.CustomerContext;
import io.interestfl.serving.policy.ExplorationPolicy;
import io.interestfl.serving.policy.Feedback;
import io.interestfl.serving.policy.ItemSpace;
import io.interestfl.serving.policy.RepeatHead;
import io.interestfl.serving.policy.Slate;
import io.interestfl.serving.policy.Slot;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client node's recommendation API (Vert.x Web).
 *
 * <ul>
 *   <li>{@code GET /v1/recommendations?customer=ID&k=10} → {@code {customer, items:[{item, score, slot}], policy,
 *       coldStart}}. {@code k} in [1, {@value #MAX_K}] (default 10). An unknown customer gets the policy's
 *       cold-start slate (popular plus exploratory), not an error.</li>
 *   <li>{@code POST /v1/feedback} with {@code {customer, item, event: impression|click|purchase, timestamp}}
 *       ({@code timestamp}: epoch milliseconds or ISO-8601; optional, default now) → appended to the
 *       {@link FeedbackLog} and fsync'd (on a worker thread), then given to the policy; answers
 *       {@code 200 {"recorded": true}} only after the fsync.</li>
 *   <li>{@code GET /health} → {@code {status: "ok", policy, items}}.</li>
 * </ul>
 * Every invalid request gets {@code 400 {"error": reason}}. Policy calls run on the event loops (a slate
 * costs well under a millisecond to a few milliseconds); the server runs one verticle instance per core.
 */
public final class RecommendationServer {
    public static final int MAX_K = 100;
    private static final int MAX_BODY = 16 * 1024;

    private final RepresentationProvider representations;
    private final ExplorationPolicy policy;
    private final Path feedbackLogPath;
    private final int port;
    private final int instances;
    private final String host;
    /** The bearer token every /v1 request must carry; null: no authentication (tests and benchmarks only). */
    private final io.interestfl.security.BearerToken token;
    private Vertx vertx;
    private FeedbackLog log;
    private final AtomicInteger boundPort = new AtomicInteger(-1);
    private final ServingMetrics metrics = new ServingMetrics();
    private volatile java.util.function.Supplier<JsonObject> nodeStatus = JsonObject::new;

    /**
     * @param port 0 for an ephemeral port ({@link #start} answers the bound one)
     */
    public RecommendationServer(RepresentationProvider representations, ExplorationPolicy policy,
                                Path feedbackLog, int port) {
        this(representations, policy, feedbackLog, port, Runtime.getRuntime().availableProcessors());
    }

    public RecommendationServer(RepresentationProvider representations, ExplorationPolicy policy,
                                Path feedbackLog, int port, int instances) {
        this(representations, policy, feedbackLog, "127.0.0.1", port, instances, null);
    }

    /**
     * A server bound to {@code host} that answers {@code /v1/*} only with {@code Authorization: Bearer TOKEN}
     * ({@code /health} stays open); {@code token} null turns authentication off.
     */
    public RecommendationServer(RepresentationProvider representations, ExplorationPolicy policy,
                                Path feedbackLog, String host, int port, int instances, String token) {
        this.host = Objects.requireNonNull(host, "host");
        this.token = token == null ? null : io.interestfl.security.BearerToken.of(token);
        this.representations = Objects.requireNonNull(representations, "representations");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.feedbackLogPath = Objects.requireNonNull(feedbackLog, "feedbackLog");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
        }
        if (instances < 1) {
            throw new IllegalArgumentException("instances must be >= 1, got " + instances);
        }
        this.port = port;
        this.instances = instances;
    }

    private volatile int headerTimeoutSeconds = 10;
    private volatile int bodyTimeoutSeconds = 30;

    /**
     * Deadlines against slow clients (slowloris): a request's headers within {@code headerSeconds} of the connection
     * opening (or of the previous response), its body within {@code bodySeconds}; defaults 10 and 30. Before start.
     */
    public synchronized RecommendationServer deadlines(int headerSeconds, int bodySeconds) {
        io.interestfl.protocol.ConnectionDeadlines.check(headerSeconds, bodySeconds);
        this.headerTimeoutSeconds = headerSeconds;
        this.bodyTimeoutSeconds = bodySeconds;
        return this;
    }

    /** Opens the feedback log and listens; the future holds the bound port. */
    public synchronized Future<Integer> start() {
        if (vertx != null) {
            return Future.failedFuture(new IllegalStateException("already started"));
        }
        try {
            log = FeedbackLog.open(feedbackLogPath);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        vertx = Vertx.vertx();
        int listenPort = port;
        return vertx.deployVerticle(() -> new HttpVerticle(listenPort), new DeploymentOptions().setInstances(
                        listenPort == 0 ? 1 : instances))
                .map(id -> boundPort.get());
    }

    /** Stops listening and closes the log. */
    public synchronized Future<Void> stop() {
        if (vertx == null) {
            return Future.succeededFuture();
        }
        Vertx v = vertx;
        vertx = null;
        return v.close().andThen(ar -> {
            log.close();
            metrics.close();
        });
    }

    public int port() {
        return boundPort.get();
    }

    /** What the merchant console shows of the node itself ({@code GET /v1/node}): training history, privacy ledger. */
    public RecommendationServer nodeStatus(java.util.function.Supplier<JsonObject> status) {
        this.nodeStatus = Objects.requireNonNull(status, "status");
        return this;
    }

    private final class HttpVerticle extends VerticleBase {
        private final int listenPort;

        HttpVerticle(int listenPort) {
            this.listenPort = listenPort;
        }

        @Override
        public Future<?> start() {
            Router router = Router.router(vertx);
            router.route().handler(ctx -> {
                long t0 = System.nanoTime();
                ctx.addEndHandler(v -> metrics.request(ctx.request().path(), ctx.response().getStatusCode(),
                        System.nanoTime() - t0));
                ctx.next();
            });
            router.route("/v1/*").handler(RecommendationServer.this::authenticate);
            router.route("/metrics").handler(RecommendationServer.this::authenticate);
            router.get("/metrics").handler(ctx -> ctx.response()
                    .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape()));
            MerchantConsole.mount(router, representations, () -> nodeStatus.get().copy()
                    .put("policy", policy.name()).put("items", representations.items().size()));
            router.get("/v1/recommendations").handler(RecommendationServer.this::recommend);
            router.post("/v1/feedback").handler(BodyHandler.create().setBodyLimit(MAX_BODY))
                    .handler(RecommendationServer.this::feedback);
            // a failed route (e.g. a body over the limit) answers JSON with its status, never an unhandled error
            router.route().failureHandler(RecommendationServer::failed);
            router.get("/health").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "ok")
                    .put("policy", policy.name()).put("items", representations.items().size())));
            // slow or half-sent requests do not hold connections open: idle timeout, header and body deadlines
            HttpServer server = vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions().setHost(host)
                    .setHttp2ClearTextEnabled(false).setIdleTimeout(30).setIdleTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS));
            return io.interestfl.protocol.ConnectionDeadlines.install(vertx, server, "recommendation API",
                    headerTimeoutSeconds, bodyTimeoutSeconds, request -> {
                        // the router throws on a malformed percent-escape and never answers: refuse it here
                        if (!wellFormedEscapes(request.uri())) {
                            request.response().setStatusCode(400).putHeader("content-type", "application/json")
                                    .end(new JsonObject().put("error", "malformed percent-escape in the request URI")
                                            .encode());
                        } else {
                            router.handle(request);
                        }
                    }).listen(listenPort).map(s -> {
                boundPort.set(s.actualPort());
                return s;
            });
        }
    }

    private static void failed(RoutingContext ctx) {
        int code = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
        if (code >= 500) {
            java.util.logging.Logger.getLogger(RecommendationServer.class.getName()).log(java.util.logging.Level.WARNING,
                    "recommendation API: " + ctx.request().method() + " " + ctx.request().path() + " failed", ctx.failure());
        }
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        String error = switch (code) {
            case 413 -> "request body larger than " + MAX_BODY + " bytes";
            case 400 -> "malformed request";
            default -> code >= 500 ? "internal error" : "request failed";
        };
        json(ctx, code, new JsonObject().put("error", error));
    }

    /** Every '%' in {@code uri} starts an escape of two hex digits. */
    static boolean wellFormedEscapes(String uri) {
        for (int i = 0; i < uri.length(); i++) {
            if (uri.charAt(i) == '%' && (i + 2 >= uri.length() || Character.digit(uri.charAt(i + 1), 16) < 0
                    || Character.digit(uri.charAt(i + 2), 16) < 0)) {
                return false;
            }
        }
        return true;
    }

    /** 401 unless the request carries the bearer token (compared in constant time). */
    private void authenticate(RoutingContext ctx) {
        if (token == null) {
            ctx.next();
            return;
        }
        if (token.admits(ctx.request().getHeader("Authorization"))) {
            ctx.next();
        } else {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            json(ctx, 401, new JsonObject().put("error", "missing or wrong bearer token (serving.token-file)"));
        }
    }

    public String host() {
        return host;
    }

    private void recommend(RoutingContext ctx) {
        String customer = ctx.queryParams().get("customer");
        if (customer == null || customer.isEmpty()) {
            badRequest(ctx, "missing query parameter 'customer'");
            return;
        }
        if (!FeedbackEvent.CUSTOMER.matcher(customer).matches()) {
            badRequest(ctx, "customer must match [A-Za-z0-9._-]{1,64}");
            return;
        }
        int k = 10;
        String kParam = ctx.queryParams().get("k");
        if (kParam != null) {
            try {
                k = Integer.parseInt(kParam);
            } catch (NumberFormatException e) {
                badRequest(ctx, "k must be an integer in [1, " + MAX_K + "], got '" + kParam + "'");
                return;
            }
            if (k < 1 || k > MAX_K) {
                badRequest(ctx, "k must be in [1, " + MAX_K + "], got " + k);
                return;
            }
        }
        float[] vector = representations.customerVector(customer);
        RepeatHead head = vector == null ? null : representations.repeatHead(customer);
        CustomerContext cc = vector == null ? CustomerContext.cold(customer) : new CustomerContext(customer, vector, head);
        Slate slate;
        long t0 = System.nanoTime();
        try {
            slate = policy.recommend(cc, k);
        } catch (RuntimeException e) {
            json(ctx, 500, new JsonObject().put("error", "policy failed: " + e.getMessage()));
            return;
        }
        long nanos = System.nanoTime() - t0;
        int repeats = 0;
        JsonArray items = new JsonArray();
        for (Slot s : slate.slots()) {
            boolean repeat = head != null && head.contains(s.item());
            repeats += repeat ? 1 : 0;
            JsonObject slot = new JsonObject().put("item", s.item()).put("score", s.score())
                    .put("slot", s.kind().wireName()).put("repeat", repeat);
            String code = representations.itemCode(s.item());
            if (code != null) {
                slot.put("code", code);
            }
            items.add(slot);
        }
        metrics.slate(slate, repeats, nanos);
        JsonObject out = new JsonObject().put("customer", customer).put("items", items)
                .put("policy", slate.policy()).put("coldStart", slate.coldStart());
        if (head != null) {
            out.put("repeatProbability", head.gate());
        }
        json(ctx, 200, out);
    }

    private void feedback(RoutingContext ctx) {
        JsonObject body;
        try {
            String text = ctx.body().asString();
            if (text == null || text.isBlank()) {
                badRequest(ctx, "empty body: expected a JSON object {customer, item, event, timestamp}");
                return;
            }
            body = new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            badRequest(ctx, "malformed JSON: expected an object {customer, item, event, timestamp}");
            return;
        }
        FeedbackEvent event;
        try {
            event = parseFeedback(body, representations.items());
        } catch (IllegalArgumentException e) {
            badRequest(ctx, e.getMessage());
            return;
        }
        ctx.vertx().executeBlocking(() -> {
            log.append(event);
            return event;
        }, false).onSuccess(e -> {
            policy.update(switch (e.event()) {
                case IMPRESSION -> Feedback.impression(e.customer(), e.item());
                case CLICK, PURCHASE -> Feedback.reward(e.customer(), e.item(), 1.0);
            });
            metrics.feedback(e.event().wireName());
            json(ctx, 200, new JsonObject().put("recorded", true));
        }).onFailure(err -> json(ctx, 500, new JsonObject().put("error", "feedback log: " + err.getMessage())));
    }

    /** Validates a feedback body; the message of the exception is the 400 reason. */
    static FeedbackEvent parseFeedback(JsonObject body, ItemSpace items) {
        Object customer = body.getValue("customer");
        if (customer == null) {
            throw new IllegalArgumentException("missing field 'customer'");
        }
        if (!(customer instanceof String c) || !FeedbackEvent.CUSTOMER.matcher(c).matches()) {
            throw new IllegalArgumentException("customer must be a string matching [A-Za-z0-9._-]{1,64}");
        }
        Object item = body.getValue("item");
        if (item == null) {
            throw new IllegalArgumentException("missing field 'item'");
        }
        if (!(item instanceof Integer || item instanceof Long)) {
            throw new IllegalArgumentException("item must be an integer item id");
        }
        long id = ((Number) item).longValue();
        if (id < items.firstItem() || id >= items.size()) {
            throw new IllegalArgumentException("item " + id + " is not in the catalogue [" + items.firstItem()
                    + ", " + items.size() + ")");
        }
        Object ev = body.getValue("event");
        if (ev == null) {
            throw new IllegalArgumentException("missing field 'event'");
        }
        FeedbackEvent.Type type = ev instanceof String s ? FeedbackEvent.Type.parse(s) : null;
        if (type == null) {
            throw new IllegalArgumentException("unknown event '" + ev + "': expected impression, click or purchase");
        }
        Object ts = body.getValue("timestamp");
        long millis;
        if (ts == null) {
            millis = System.currentTimeMillis();
        } else if (ts instanceof Integer || ts instanceof Long) {
            millis = ((Number) ts).longValue();
            if (millis < 0) {
                throw new IllegalArgumentException("timestamp must be >= 0 epoch milliseconds, got " + millis);
            }
        } else if (ts instanceof String s) {
            try {
                millis = Instant.parse(s).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("timestamp must be epoch milliseconds or ISO-8601, got '" + s + "'");
            }
        } else {
            throw new IllegalArgumentException("timestamp must be epoch milliseconds or ISO-8601");
        }
        return new FeedbackEvent(millis, (String) customer, (int) id, type);
    }

    private static void badRequest(RoutingContext ctx, String reason) {
        json(ctx, 400, new JsonObject().put("error", reason));
    }

    static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
                .end(body.toBuffer());
    }
}
