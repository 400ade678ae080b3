package io.interestfl.simulations.browser;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.coordinator.config.CoordinatorConfig;
import io.interestfl.coordinator.server.CoordinatorServer;
import io.interestfl.interest.data.Basket;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.model.InterestModel;
import io.interestfl.interest.model.ModelConfig;
import io.interestfl.protocol.FederationStub;
import io.interestfl.protocol.ModelFile;
import io.interestfl.protocol.UpdateChunks;
import io.interestfl.protocol.v1.RegisterRequest;
import io.interestfl.protocol.v1.Task;
import io.interestfl.protocol.v1.TaskRequest;
import io.interestfl.protocol.v1.UpdateSummary;
import io.interestfl.serving.InterestModelRepresentations;
import io.interestfl.serving.RecommendationServer;
import io.interestfl.serving.policy.Policies;
import io.interestfl.serving.policy.PolicyConfig;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The coordinator dashboard and the merchant console in headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}; {@code .ci/run} installs them when missing; without them this test is skipped and says
 * why): the round table fills as a real coordinator commits rounds; a customer's recommendations appear in the
 * console of a node's recommendation server with every slot marked; a click on a slot reaches the feedback log.
 * Screenshots go to {@code target/screenshots/}.
 */
class BrowserPagesTest {
  private static WebDriver browser;

  @BeforeAll
  static void openBrowser() {
    browser = HeadlessChromium.open(false);
  }

  @AfterAll
  static void closeBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  private static void screenshot(String name) throws Exception {
    HeadlessChromium.screenshot(browser, name);
  }

  private static int rows(String table) {
    return browser.findElements(By.cssSelector("#" + table + " tbody tr")).size();
  }

  @Test
  void theDashboardFillsItsRoundTableAsRoundsCommit(@TempDir Path dir) throws Exception {
    int length = 64;
    Files.write(dir.resolve("catalogue.txt"), List.of("10002", "10080", "10120", "85123A"));
    new ModelFile(0, "browser test", new float[length]).write(dir.resolve("initial.bin"));
    CoordinatorConfig config = new CoordinatorConfig();
    config.tls.insecure = true;
    config.federationId = "browser";
    config.grpcPort = 0;
    config.adminPort = 0;
    config.catalogue = "catalogue.txt";
    config.initialModel = "initial.bin";
    config.minClients = 2;
    config.minUpdates = 2;
    config.rounds = 3;
    config.baseDirectory(dir).validate("test");
    Vertx vertx = Vertx.vertx();
    CoordinatorServer server = new CoordinatorServer(config);
    vertx.deployVerticle(server).await(30, TimeUnit.SECONDS);
    FederationStub stub = new FederationStub(vertx, SocketAddress.inetSocketAddress(server.grpcPort(), "127.0.0.1"), 30);
    try {
      for (String n : List.of("north", "south")) {
        stub.register(RegisterRequest.newBuilder().setFederationId("browser").setClientName(n).setRegion(n)
            .setNumExamples(10).build()).await(30, TimeUnit.SECONDS);
      }
      String token = Files.readString(dir.resolve("admin-token")).trim();
      browser.get("http://127.0.0.1:" + server.adminPort() + "/dashboard");
      browser.findElement(By.id("token")).sendKeys(token);
      browser.findElement(By.id("connect")).click();
      await().atMost(Duration.ofSeconds(20)).until(() -> browser.findElement(By.id("nodes")).getText().equals("2"));
      assertEquals(0, rows("rounds"));
      for (int round = 1; round <= 3; round++) {
        long version = round - 1;
        long id = awaitTrain(stub, "north");
        for (String n : List.of("north", "south")) {
          float[] delta = new float[length];
          java.util.Arrays.fill(delta, 0.01f * round);
          stub.uploadUpdate(UpdateChunks.of("browser", n, id, version, delta,
              UpdateSummary.newBuilder().setNumExamples(10).setMeanTrainLoss(2.0 / round).build()).iterator())
              .await(30, TimeUnit.SECONDS);
        }
        int expected = round;
        // the page polls /status every 2 s and adds the round's row
        await().atMost(Duration.ofSeconds(20)).until(() -> rows("rounds") == expected);
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> browser.findElement(By.id("state")).getText()
          .equals("FINISHED"));
      List<WebElement> first = browser.findElements(By.cssSelector("#rounds tbody tr:first-child td"));
      assertEquals("1", first.get(0).getText());
      assertEquals("committed", first.get(1).getText());
      assertEquals("2", first.get(3).getText(), "participants of round 1");
      assertEquals(2, rows("clients"));
      screenshot("dashboard.png");
    } finally {
      stub.close();
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  private static long awaitTrain(FederationStub stub, String client) throws Exception {
    long[] id = new long[1];
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      Task t = stub.getTask(TaskRequest.newBuilder().setFederationId("browser").setClientId(client).build())
          .await(30, TimeUnit.SECONDS);
      id[0] = t.getRoundId();
      return t.getKind() == Task.Kind.TRAIN;
    });
    return id[0];
  }

  @Test
  void theConsoleShowsACustomersSlateAndAClickReachesTheFeedbackLog(@TempDir Path dir) throws Exception {
    InterestModel.configureThreads(1);
    List<CustomerHistory> histories = new ArrayList<>();
    for (int c = 0; c < 6; c++) {
      List<Basket> baskets = new ArrayList<>();
      for (int b = 0; b < 4; b++) {
        baskets.add(new Basket(1_600_000_000L + 86_400L * b, new int[] {2 + (c + b) % 20, 2 + (c * 3 + b) % 20},
            null, new int[] {(c + b) % 4, (c * 3 + b) % 4}));
      }
      histories.add(new CustomerHistory(17850 + c, baskets));
    }
    try (InterestModel model = InterestModel.create(new ModelConfig("gru", 30, 6, 8, 12, 0.01, 16, 7))) {
      model.train(histories, 3);
      InterestModelRepresentations reps = InterestModelRepresentations.of(model, histories, null);
      Path feedback = dir.resolve("feedback.csv");
      String token = "c0ffee".repeat(8);
      RecommendationServer server = new RecommendationServer(reps,
          Policies.create("thompson", reps.items(), PolicyConfig.defaults(1)), feedback, "127.0.0.1", 0, 1, token);
      server.nodeStatus(() -> new io.vertx.core.json.JsonObject().put("node", "browser-test"));
      int port = server.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      try {
        browser.get("http://127.0.0.1:" + port + "/console");
        browser.findElement(By.id("token")).sendKeys(token);
        browser.findElement(By.id("connect")).click();
        await().atMost(Duration.ofSeconds(20)).until(() -> rows("slate") == 10);
        String customer = browser.findElement(By.id("customerId")).getAttribute("value");
        assertTrue(customer.startsWith("178"), customer);
        for (WebElement slot : browser.findElements(By.cssSelector("#slate tbody tr td:nth-child(4)"))) {
          assertTrue(slot.getText().equals("exploit") || slot.getText().equals("explore"), slot.getText());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> rows("timeline") == 4);
        assertTrue(browser.findElement(By.id("summary")).getText().contains("4 baskets"));
        assertTrue(browser.findElement(By.id("node")).getText().contains("browser-test"));
        String item = browser.findElement(By.cssSelector("#slate tbody tr:first-child td:nth-child(2)")).getText();
        browser.findElement(By.cssSelector("#slate tbody tr:first-child button.click")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.id("feedbackStatus")).getText()
            .startsWith("recorded"));
        String log = Files.readString(feedback);
        assertTrue(log.contains("," + customer + "," + item + ",click"), log);
        screenshot("console.png");
      } finally {
        server.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }
}
