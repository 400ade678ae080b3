package io.interestfl.simulations.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium through its chromedriver, for the browser tests; a test without them is skipped with
 * a message saying what to install ({@code .ci/run} installs them). Nothing is downloaded at run time.
 */
public final class HeadlessChromium {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  private HeadlessChromium() {}

  /**
   * A browser, or the calling test skipped. {@code acceptFederationCertificates}: the pages are served over HTTPS
   * with a certificate of the test's own throw-away CA, which the browser cannot know.
   */
  public static WebDriver open(boolean acceptFederationCertificates) {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
        "browser tests skipped: " + CHROMIUM + " and " + DRIVER + " are needed (apt-get install chromium "
            + "chromium-driver; .ci/run does it)");
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--window-size=1400,1100");
    if (acceptFederationCertificates) {
      options.addArguments("--ignore-certificate-errors");
    }
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort().build();
    WebDriver browser = new ChromeDriver(service, options);
    browser.manage().timeouts().implicitlyWait(Duration.ZERO);
    return browser;
  }

  /** Saves what the browser shows to {@code target/screenshots/NAME}. */
  public static void screenshot(WebDriver browser, String name) throws Exception {
    Path dir = Path.of("target", "screenshots");
    Files.createDirectories(dir);
    Files.write(dir.resolve(name), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }
}
