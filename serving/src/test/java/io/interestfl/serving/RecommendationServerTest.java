package io.interestfl.serving;

import io.interestfl.serving.policy.ItemSpace;
import io.interestfl.serving.policy.Policies;
import io.interestfl.serving.policy.PolicyConfig;
import io.interestfl.serving.policy.PosteriorPolicy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecommendationServerTest {
    private static final int ITEMS = 202;   // ids 2..201 recommendable
    @TempDir
    static Path dir;
    static RecommendationServer server;
    static PosteriorPolicy policy;
    static final String TOKEN = "merchant-front-end-token-0123456789";
    static HttpClient http;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        SplittableRandom rng = new SplittableRandom(1);
        float[][] v = new float[ITEMS][8];
        for (float[] row : v) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) rng.nextGaussian();
            }
        }
        double[] pop = new double[ITEMS];
        for (int i = 0; i < ITEMS; i++) {
            pop[i] = ITEMS - i;
        }
        ItemSpace items = new ItemSpace(v, null, null, pop, 2);
        policy = Policies.create("thompson", items, PolicyConfig.defaults(3));
        server = new RecommendationServer(new StaticRepresentations(items, Map.of("17850", v[10].clone())), policy,
                dir.resolve("feedback.csv"), "127.0.0.1", 0, 1, TOKEN);
        int port = server.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + port;
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).header("Authorization", "Bearer " + TOKEN)
                .GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/v1/feedback"))
                .header("Authorization", "Bearer " + TOKEN).header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void knownCustomerGetsKItemsWithSlotLabels() throws Exception {
        HttpResponse<String> r = get("/v1/recommendations?customer=17850&k=7");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
        JsonObject o = new JsonObject(r.body());
        assertEquals("17850", o.getString("customer"));
        assertEquals("thompson", o.getString("policy"));
        assertFalse(o.getBoolean("coldStart"));
        JsonArray items = o.getJsonArray("items");
        assertEquals(7, items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonObject it = items.getJsonObject(i);
            int id = it.getInteger("item");
            assertTrue(id >= 2 && id < ITEMS, "item id " + id);
            assertTrue(List.of("exploit", "explore").contains(it.getString("slot")));
            assertTrue(Double.isFinite(it.getDouble("score")));
        }
    }

    @Test
    void unknownCustomerGetsAColdStartAnswerAndDefaultK() throws Exception {
        HttpResponse<String> r = get("/v1/recommendations?customer=new-customer_1");
        assertEquals(200, r.statusCode(), r.body());
        JsonObject o = new JsonObject(r.body());
        assertTrue(o.getBoolean("coldStart"));
        JsonArray items = o.getJsonArray("items");
        assertEquals(10, items.size());
        assertEquals(2, items.getJsonObject(0).getInteger("item"));   // the most popular item first
        assertEquals("exploit", items.getJsonObject(0).getString("slot"));
        assertEquals("explore", items.getJsonObject(9).getString("slot"));
    }

    @Test
    void badRecommendationRequestsGet400WithAReason() throws Exception {
        assertBad(get("/v1/recommendations?k=5"), "customer");
        assertBad(get("/v1/recommendations?customer=&k=5"), "customer");
        assertBad(get("/v1/recommendations?customer=a%20b"), "customer");
        assertBad(get("/v1/recommendations?customer=1&k=0"), "k must be");
        assertBad(get("/v1/recommendations?customer=1&k=101"), "k must be");
        assertBad(get("/v1/recommendations?customer=1&k=ten"), "k must be");
    }

    @Test
    void feedbackIsLoggedDurablyAndUpdatesThePolicy() throws Exception {
        long before = policy.posterior("fb-1").observations();
        assertEquals(200, post("{\"customer\":\"fb-1\",\"item\":5,\"event\":\"impression\",\"timestamp\":1700000000000}").statusCode());
        HttpResponse<String> click = post("{\"customer\":\"fb-1\",\"item\":5,\"event\":\"click\",\"timestamp\":\"2023-11-14T22:13:21Z\"}");
        assertEquals(200, click.statusCode(), click.body());
        assertTrue(new JsonObject(click.body()).getBoolean("recorded"));
        assertEquals(200, post("{\"customer\":\"fb-1\",\"item\":5,\"event\":\"purchase\",\"timestamp\":1700000001000}").statusCode());
        assertEquals(200, post("{\"customer\":\"fb-1\",\"item\":6,\"event\":\"purchase\",\"timestamp\":1700000001500}").statusCode());
        assertEquals(before + 1, policy.posterior("fb-1").observations());   // one impression; click/purchase add reward
        List<FeedbackEvent> events = FeedbackLog.read(dir.resolve("feedback.csv")).stream()
                .filter(e -> e.customer().equals("fb-1")).toList();
        assertEquals(4, events.size());
        assertEquals(new FeedbackEvent(1700000000000L, "fb-1", 5, FeedbackEvent.Type.IMPRESSION), events.get(0));
        assertEquals(1700000001000L, events.get(1).timestampMillis());
        assertEquals(FeedbackEvent.Type.CLICK, events.get(1).event());
    }

    @Test
    void badFeedbackGets400WithAReason() throws Exception {
        assertBad(post("{\"customer\":\"c\",\"item\":5,"), "malformed JSON");
        assertBad(post("[1,2,3]"), "malformed JSON");
        assertBad(post(""), "empty body");
        assertBad(post("{\"item\":5,\"event\":\"click\"}"), "missing field 'customer'");
        assertBad(post("{\"customer\":\"c\",\"event\":\"click\"}"), "missing field 'item'");
        assertBad(post("{\"customer\":\"c\",\"item\":5}"), "missing field 'event'");
        assertBad(post("{\"customer\":\"c\",\"item\":5,\"event\":\"like\"}"), "unknown event 'like'");
        assertBad(post("{\"customer\":\"c\",\"item\":1,\"event\":\"click\"}"), "not in the catalogue");
        assertBad(post("{\"customer\":\"c\",\"item\":202,\"event\":\"click\"}"), "not in the catalogue");
        assertBad(post("{\"customer\":\"c\",\"item\":\"5\",\"event\":\"click\"}"), "item must be an integer");
        assertBad(post("{\"customer\":\"c\",\"item\":5,\"event\":\"click\",\"timestamp\":\"yesterday\"}"), "timestamp");
        assertBad(post("{\"customer\":7,\"item\":5,\"event\":\"click\"}"), "customer must be a string");
    }

    @Test
    void withoutTheBearerTokenNothingIsServedAndNoFeedbackIsLogged() throws Exception {
        long before = java.nio.file.Files.size(dir.resolve("feedback.csv"));
        for (String auth : new String[] {null, "Bearer wrong-token-0123456789", "Basic " + TOKEN}) {
            HttpRequest.Builder rec = HttpRequest.newBuilder(URI.create(base + "/v1/recommendations?customer=17850"));
            HttpRequest.Builder fb = HttpRequest.newBuilder(URI.create(base + "/v1/feedback"))
                    .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"customer\":\"17850\",\"item\":\"10002\",\"event\":\"purchase\"}"));
            if (auth != null) {
                rec.header("Authorization", auth);
                fb.header("Authorization", auth);
            }
            assertEquals(401, http.send(rec.GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(401, http.send(fb.build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        }
        assertEquals(before, java.nio.file.Files.size(dir.resolve("feedback.csv")), "a forged purchase was logged");
        assertEquals("127.0.0.1", server.host());
    }

    @Test
    void healthAnswers() throws Exception {
        HttpResponse<String> r = get("/health");
        assertEquals(200, r.statusCode());
        assertEquals(ITEMS, new JsonObject(r.body()).getInteger("items"));
    }

    private static void assertBad(HttpResponse<String> r, String reasonPart) {
        assertEquals(400, r.statusCode(), r.body());
        String error = new JsonObject(r.body()).getString("error");
        assertTrue(error.contains(reasonPart), "reason '" + error + "' should mention '" + reasonPart + "'");
    }

    private static double series(String scrape, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + java.util.regex.Pattern.quote(name)
                + " ([0-9.eE+-]+)$").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** Prometheus sees each slate (latency, slot mix) and each feedback event; /metrics needs the token. */
    @Test
    void metricsCountSlatesSlotsAndFeedback() throws Exception {
        assertEquals(401, http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        String before = get("/metrics").body();
        assertEquals(200, get("/v1/recommendations?customer=17850&k=5").statusCode());
        assertEquals(200, post("{\"customer\":\"17850\",\"item\":12,\"event\":\"click\"}").statusCode());
        HttpResponse<String> after = get("/metrics");
        assertTrue(after.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
        String a = after.body();
        assertEquals(1, series(a, "interestfl_recommendation_latency_seconds_count")
                - series(before, "interestfl_recommendation_latency_seconds_count"), 0);
        assertEquals(5, series(a, "interestfl_recommendation_slots_total{kind=\"exploit\"}")
                + series(a, "interestfl_recommendation_slots_total{kind=\"explore\"}")
                - series(before, "interestfl_recommendation_slots_total{kind=\"exploit\"}")
                - series(before, "interestfl_recommendation_slots_total{kind=\"explore\"}"), 0);
        assertEquals(1, series(a, "interestfl_feedback_events_total{event=\"click\"}")
                - series(before, "interestfl_feedback_events_total{event=\"click\"}"), 0);
        assertTrue(a.contains("interestfl_serving_http_requests_seconds_count{route=\"/v1/recommendations\",status=\"200\"}"));
        assertTrue(a.contains("jvm_memory_used_bytes"));
    }
}
