package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;

/** Debian's headless Chromium through chromedriver, for the browser tests and their screenshots. */
public final class HeadlessChromium {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private HeadlessChromium() {}

  /**
   * A new browser with its console log kept; fails, naming how to install them, when Chromium or
   * chromedriver is missing (not skipped: the browser tests are part of the suite).
   */
  public static WebDriver start() {
    assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
        .as(
            "the browser tests need Debian's chromium and chromium-driver (%s, %s): run"
                + " scripts/install-deps (or: apt-get install chromium chromium-driver)",
            CHROMIUM, CHROMEDRIVER)
        .isTrue();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,800",
        "--user-data-dir=" + tempProfile());
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    return new ChromeDriver(service, options);
  }

  /** Saves what the browser shows as a PNG, its folder made if needed. */
  public static void screenshot(WebDriver browser, Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(shot, file, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String tempProfile() {
    try {
      return Files.createTempDirectory("tagflow-chromium").toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
