package io.interestfl.serving;

import io.interestfl.protocol.StaticPage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.function.Supplier;

/**
 * The merchant console on the client node (the display layer): a static page ({@code GET /console}, from the jar, no
 * CDN) that asks for the serving token and then, with it, lists customers ({@code GET /v1/customers}), shows one's
 * interest profile ({@code GET /v1/profile?customer=ID}: baskets over time, categories, most bought items, repeat
 * probability), the slate the serving policy returns with every slot marked exploit or explore (and rebuy) with its
 * score ({@code GET /v1/recommendations}), buttons that record a click or a purchase ({@code POST /v1/feedback}),
 * and the node's training history and privacy ledger ({@code GET /v1/node}). Every data route is behind the token.
 */
final class MerchantConsole {
  private static final int MAX_CUSTOMERS = 500;

  private MerchantConsole() {}

  static void mount(Router router, RepresentationProvider representations, Supplier<JsonObject> node) {
    router.get("/console").handler(ctx -> StaticPage.send(ctx.response(), "/io/interestfl/serving/console/index.html"));
    router.get("/console/console.js").handler(ctx -> StaticPage.send(ctx.response(),
        "/io/interestfl/serving/console/console.js"));
    router.get("/v1/customers").handler(ctx -> {
      List<String> all = representations.customers();
      JsonArray out = new JsonArray();
      all.stream().limit(MAX_CUSTOMERS).forEach(out::add);
      RecommendationServer.json(ctx, 200, new JsonObject().put("customers", out).put("total", all.size()));
    });
    router.get("/v1/profile").handler(ctx -> {
      String customer = ctx.queryParams().get("customer");
      if (customer == null || !FeedbackEvent.CUSTOMER.matcher(customer).matches()) {
        RecommendationServer.json(ctx, 400, new JsonObject().put("error",
            "query parameter 'customer' must match [A-Za-z0-9._-]{1,64}"));
        return;
      }
      JsonObject profile = representations.profile(customer);
      if (profile == null) {
        RecommendationServer.json(ctx, 404, new JsonObject().put("error", "no history for customer " + customer));
      } else {
        RecommendationServer.json(ctx, 200, profile);
      }
    });
    // the node's status reads its ledger file: off the event loop
    router.get("/v1/node").handler(ctx -> ctx.vertx().executeBlocking(node::get, false)
        .onSuccess(status -> RecommendationServer.json(ctx, 200, status))
        .onFailure(e -> RecommendationServer.json(ctx, 500, new JsonObject().put("error", "node status: " + e.getMessage()))));
  }
}
