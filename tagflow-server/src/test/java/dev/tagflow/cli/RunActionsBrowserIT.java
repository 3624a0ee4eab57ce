package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.store.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The runs pages' buttons in Debian's headless Chromium against a real {@code tagflow server}: a
 * running run is cancelled from the runs list after the browser's confirmation (dismissing it
 * changes nothing), its step killed and the run recorded cancelled; its page then offers a re-run,
 * which starts a new run at the same commit that runs to its end. Screenshots go to {@code
 * target/screenshots/}.
 */
class RunActionsBrowserIT {

  private static final String TOKEN = "tf_run_actions_it_token_0123456789";

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path temp;

  private ServerProcess server;
  private WebDriver browser;
  private WebDriverWait wait;
  private Path shots;

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aRunningRunIsCancelledAfterAConfirmationAndReRunFromItsPage() throws Exception {
    server = new ServerProcess(temp, TOKEN);
    server.host("app");
    String url = server.start();
    Path go = temp.resolve("go");
    GitWorkTree app =
        GitWorkTree.init(temp.resolve("app-work"))
            .write(
                ".github/workflows/release.yml",
                """
                on:
                  push:
                    tags: ['v*']
                jobs:
                  release:
                    runs-on: ubuntu-latest
                    steps:
                      - name: wait
                        run: |
                          echo "waiting for go"
                          for i in $(seq 1 1500); do [ -f '%s' ] && break; sleep 0.2; done
                          echo "went"
                """
                    .formatted(go))
            .commit("release workflow");
    app.git("push", "-q", server.pushUrl("app"), "main");
    app.git("tag", "v2.0.0");
    app.git("push", "-q", server.pushUrl("app"), "refs/tags/v2.0.0");

    browser = HeadlessChromium.start();
    wait = new WebDriverWait(browser, Duration.ofSeconds(180));
    shots = Files.createDirectories(Path.of("target", "screenshots"));
    String adminToken = Files.readString(server.data().resolve("admin-token")).strip();
    browser.get(url + "/ui/login");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("token")));
    browser.findElement(By.id("token")).sendKeys(adminToken);
    browser.findElement(By.cssSelector("#login-token button")).click();
    wait.until(ExpectedConditions.urlMatches(".*/ui$"));

    // The running run's row offers a cancel, labelled with the run.
    browser.get(url + "/ui/runs");
    wait.until(
        d -> {
          d.navigate().refresh();
          return !d.findElements(By.cssSelector("table.list tbody button.danger")).isEmpty();
        });
    WebElement cancel = browser.findElement(By.cssSelector("table.list tbody button.danger"));
    String label = cancel.getAttribute("aria-label");
    assertThat(label).startsWith("Cancel run ");
    String runId = label.substring("Cancel run ".length());
    screenshot("runs-cancel.png");

    // Dismissing the confirmation sends nothing.
    cancel.click();
    wait.until(ExpectedConditions.alertIsPresent()).dismiss();
    assertThat(browser.findElements(By.cssSelector("#actions-" + runId + " [role=status]")))
        .isEmpty();
    assertThat(runStatus(runId)).isIn(RunRecord.RunStatus.QUEUED, RunRecord.RunStatus.RUNNING);

    // Accepting it cancels: the row says so in place, the run ends cancelled.
    browser.findElement(By.id("cancel-" + runId)).click();
    wait.until(ExpectedConditions.alertIsPresent()).accept();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.cssSelector("#actions-" + runId + " [role=status]"), "Cancel requested"));
    assertThat(browser.findElements(By.id("cancel-" + runId))).isEmpty();
    screenshot("runs-cancelled.png");
    browser.get(url + "/ui/runs/" + runId);
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("run-summary"), "The run ended: Cancelled"));
    assertThat(runStatus(runId)).isEqualTo(RunRecord.RunStatus.CANCELLED);

    // Its page (loaded again) offers a re-run: a new run of the same commit, linked, which runs.
    browser.navigate().refresh();
    wait.until(ExpectedConditions.elementToBeClickable(By.id("rerun-" + runId))).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.cssSelector("#actions-" + runId + " [role=status]"), "Re-run queued."));
    WebElement link = browser.findElement(By.cssSelector("#actions-" + runId + " [role=status] a"));
    String newRun = link.getText().substring("Open run ".length());
    assertThat(newRun).isNotEqualTo(runId);
    screenshot("run-rerun.png");
    Files.writeString(go, "go\n");
    link.click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("run-summary"), "The run ended: Success"));
    RunRecord rerun =
        server.awaitRuns("refs/tags/v2.0.0", 2).stream()
            .filter(r -> r.runId().equals(newRun))
            .findFirst()
            .orElseThrow();
    assertThat(rerun.status()).isEqualTo(RunRecord.RunStatus.SUCCESS);

    // The audit log has both clicks.
    browser.get(url + "/ui/audit");
    String audit = browser.findElement(By.cssSelector("table.list tbody")).getText();
    assertThat(audit).contains("POST /ui/runs/{id}/cancel").contains("POST /ui/runs/{id}/rerun");
    List<String> console =
        browser.manage().logs().get(LogType.BROWSER).getAll().stream()
            .map(LogEntry::getMessage)
            .toList();
    assertThat(console)
        .noneMatch(m -> m.contains("Content Security Policy") || m.contains("Refused to"))
        .noneMatch(m -> m.contains("Uncaught"));
  }

  private RunRecord.RunStatus runStatus(String runId) throws Exception {
    try (RunsContext runs = new RunsContext(server.data(), null)) {
      return runs.run(runId).status();
    }
  }

  private void screenshot(String name) {
    HeadlessChromium.screenshot(browser, shots.resolve(name));
  }
}
