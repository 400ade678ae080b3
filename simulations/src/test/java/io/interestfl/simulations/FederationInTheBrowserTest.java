package io.interestfl.simulations;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.client.node.ClientNode;
import io.interestfl.simulations.browser.HeadlessChromium;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The whole product in a browser: a coordinator and two DL4J client nodes on the Online Retail file (mutual TLS),
 * the platform engineer's dashboard (HTTPS, admin token) filling its round table while the federation trains, then
 * the merchant's console on the serving node (serving token): a customer's profile and slate from the federated
 * model, the node's own training rounds, and a purchase that reaches the node's feedback log.
 */
class FederationInTheBrowserTest {
  private static int rows(WebDriver browser, String table) {
    return browser.findElements(By.cssSelector("#" + table + " tbody tr")).size();
  }

  @Test
  void roundsFillTheDashboardAndTheMerchantServesFromTheFederatedModel(@TempDir Path dir) throws Exception {
    WebDriver browser = HeadlessChromium.open(true);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (InProcessFederation federation = new InProcessFederation(dir, "browser", 16, 32, 0.005)) {
      federation.size(3, 2, 2);
      federation.config.training.localEpochs = 1;
      federation.start();
      int servingPort;
      try (ServerSocket s = new ServerSocket(0)) {
        servingPort = s.getLocalPort();
      }
      Path feedback = dir.resolve("germany/feedback.csv");
      Files.createDirectories(feedback.getParent());
      ClientNode germany = federation.addNode("germany", List.of("Germany"), c -> c.serving = Map.of(
          "port", servingPort, "feedback-log", feedback.toString(), "policy", "thompson"));
      ClientNode france = federation.addNode("france", "France");

      browser.get("https://127.0.0.1:" + federation.adminPort() + "/dashboard");
      browser.findElement(By.id("token")).sendKeys(Files.readString(dir.resolve("admin-token")).trim());
      browser.findElement(By.id("connect")).click();
      await().atMost(Duration.ofSeconds(20)).until(() -> browser.findElement(By.id("federation")).getText()
          .equals("browser"));
      List<Future<?>> runs = new ArrayList<>();
      for (ClientNode node : List.of(germany, france)) {
        runs.add(pool.submit(() -> {
          node.run();
          return null;
        }));
      }
      // rows appear as rounds commit, one by one
      List<Integer> seen = new ArrayList<>();
      await().atMost(Duration.ofMinutes(5)).until(() -> {
        int n = rows(browser, "rounds");
        if (seen.isEmpty() || seen.get(seen.size() - 1) != n) {
          seen.add(n);
        }
        return n == 3 && browser.findElement(By.id("state")).getText().equals("FINISHED");
      });
      assertTrue(seen.size() >= 3, "the table grew while the federation trained: " + seen);
      for (WebElement outcome : browser.findElements(By.cssSelector("#rounds tbody tr td:nth-child(2)"))) {
        assertEquals("committed", outcome.getText());
      }
      HeadlessChromium.screenshot(browser, "dashboard-federation.png");
      runs.get(1).get(5, TimeUnit.MINUTES);   // france ends with the federation; germany goes on serving

      HttpClient http = HttpClient.newHttpClient();
      await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + servingPort + "/health")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
      browser.get("http://127.0.0.1:" + servingPort + "/console");
      browser.findElement(By.id("token")).sendKeys(Files.readString(feedback.getParent().resolve("serving-token")).trim());
      browser.findElement(By.id("connect")).click();
      await().atMost(Duration.ofSeconds(30)).until(() -> rows(browser, "slate") == 10);
      await().atMost(Duration.ofSeconds(10)).until(() -> rows(browser, "timeline") > 0
          && browser.findElement(By.id("node")).getText().contains("\"trainingRounds\""));
      assertTrue(browser.findElement(By.id("node")).getText().contains("\"round\": 3"),
          "the node's own rounds: " + browser.findElement(By.id("node")).getText());
      String customer = browser.findElement(By.id("customerId")).getAttribute("value");
      String item = browser.findElement(By.cssSelector("#slate tbody tr:first-child td:nth-child(2)")).getText();
      // the merchant reads product codes, not ids: the slot's code is the catalogue's (Online Retail stock codes)
      String code = browser.findElement(By.cssSelector("#slate tbody tr:first-child td:nth-child(3)")).getText();
      assertTrue(code.matches("[0-9A-Za-z]{3,12}"), "product code '" + code + "'");
      browser.findElement(By.cssSelector("#slate tbody tr:first-child button.purchase")).click();
      await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.id("feedbackStatus")).getText()
          .startsWith("recorded"));
      assertTrue(Files.readString(feedback).contains("," + customer + "," + item + ",purchase"));
      HeadlessChromium.screenshot(browser, "console-federation.png");
      germany.stop();
      runs.get(0).get(2, TimeUnit.MINUTES);
    } finally {
      pool.shutdownNow();
      browser.quit();
    }
  }
}
