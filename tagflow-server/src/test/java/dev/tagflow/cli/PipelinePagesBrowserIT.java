package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.local.git.GitWorkTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The delivery pages in Debian's headless Chromium against a real {@code tagflow server}: a tag
 * pushed to its Git server runs a real release workflow whose log the run page follows live (a line
 * written after the page was open appears without a reload, then the end marker; a secret the run
 * prints shows masked); its promote step asks for an approval to production, which the inbox
 * refuses to the release's author and takes from a release-manager; the audit page shows both; a
 * token made in the settings is shown once. Screenshots go to {@code target/screenshots/}.
 */
class PipelinePagesBrowserIT {

  private static final String TOKEN = "tf_pipeline_pages_it_token_0123456789";

  /** A secret the run's step prints: the log and the page show it masked. */
  private static final String SECRET = "s3cr3t-deploy-value-4711";

  private static final String POLICY =
      """
      apiVersion: tagflow.dev/v1alpha1
      kind: EnvironmentPolicy
      environments:
        - name: production
          accept:
            - tags: "v*"
          promotion:
            approval: {required: 1, roles: [release-manager]}
      """;

  private static final String VALUES =
      """
      # Values of web in production.
      image:
        repository: registry.local/shop/web
        tag: "1.0.0"
      """;

  // Kept when the test fails: the server's log is in it.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path temp;

  private ServerProcess server;
  private WebDriver browser;
  private WebDriverWait wait;
  private Path shots;

  @BeforeEach
  void setUp() throws Exception {
    server = new ServerProcess(temp, TOKEN);
    server.host("app");
    server.host("env");
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    server.close();
  }

  @Test
  void aRunsLogStreamsLiveItsPromotionIsApprovedInTheInboxAndTheAuditPageShowsIt()
      throws Exception {
    assertThat(
            Files.isExecutable(HeadlessChromium.CHROMIUM)
                && Files.isExecutable(HeadlessChromium.CHROMEDRIVER))
        .as(
            "the browser tests need Debian's chromium and chromium-driver: run scripts/install-deps")
        .isTrue();
    Path config = temp.resolve("tagflow.yaml");
    Files.writeString(
        config,
        """
        dataDir: %s
        rbac:
          policy: |
            g, dana, role:release-manager
            g, rita, role:release-manager
        """
            .formatted(server.data()));
    String url = server.with("--config", config.toString()).start();
    String envUrl = server.repositoryUrl("env");
    GitWorkTree env =
        GitWorkTree.init(temp.resolve("env-work"))
            .write("environments/policy.yaml", POLICY)
            .write("environments/production/values.yaml", VALUES)
            .commit("environments");
    env.git("push", "-q", server.pushUrl("env"), "main");

    Path value = Files.writeString(temp.resolve("secret-value"), SECRET);
    ServerProcess.Result set =
        server.tagflow(
            "secret", "set", "DEPLOY_TOKEN", "--repo", "app", "--from-file", value.toString());
    assertThat(set.exit()).as(set.err()).isZero();
    Files.delete(value);

    Path go = temp.resolve("go");
    GitWorkTree app =
        GitWorkTree.init(temp.resolve("app-work"))
            .write(".github/workflows/release.yml", workflow(envUrl, go))
            .commit("release workflow <script>alert('commit')</script>");
    app.git("push", "-q", server.pushUrl("app"), "main");
    app.git("tag", "-a", "v1.2.3", "-m", "release 1.2.3");
    app.git("push", "-q", "--tags", server.pushUrl("app"));

    browser = HeadlessChromium.start();
    wait = new WebDriverWait(browser, Duration.ofSeconds(180));
    shots = Files.createDirectories(Path.of("target", "screenshots"));
    String adminToken = Files.readString(server.data().resolve("admin-token")).strip();
    browser.get(url + "/ui/login");
    logInWithToken(adminToken);

    // The run is listed while it runs; its page follows the log.
    browser.get(url + "/ui/runs");
    wait.until(
        d -> {
          d.navigate().refresh();
          return !d.findElements(By.cssSelector("table.list tbody a")).isEmpty();
        });
    assertThat(browser.findElement(By.cssSelector("table.list tbody")).getText())
        .contains("git/app")
        .contains("v1.2.3");
    screenshot("runs.png");
    browser.findElement(By.cssSelector("table.list tbody a")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("log"), "waiting for go"));
    WebElement heading = browser.findElement(By.tagName("h1"));
    assertThat(browser.findElement(By.id("log")).getText())
        .contains("before <script>x</script>")
        .contains("token: ***");
    assertThat(browser.getPageSource()).doesNotContain(SECRET);
    assertThat(browser.findElement(By.id("run-status")).getText()).isEqualTo("Running");
    screenshot("run-live.png");

    // A line the run writes now appears without the page being loaded again, then the end.
    Files.writeString(go, "go\n");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("log"), "after go"));
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("run-summary"), "The run ended: Success"));
    assertThat(heading.getText()).startsWith("Run ");
    assertThat(browser.findElement(By.id("log-state")).getText()).contains("ended");
    assertThat(browser.findElement(By.id("run-summary")).getText())
        .contains("Job release")
        .contains("promote");
    // The script tags of the log are text, not elements.
    assertThat(browser.findElements(By.cssSelector("#log script"))).isEmpty();
    screenshot("run-ended.png");

    // Settings: two release-managers' users, and a token shown once.
    browser.get(url + "/ui/settings");
    addUser("dana");
    addUser("rita");
    browser.findElement(By.id("token-name")).sendKeys("ci-deploy");
    WebElement owner = browser.findElement(By.id("token-owner"));
    owner.clear();
    owner.sendKeys("rita");
    browser.findElement(By.cssSelector("form[aria-label='Create a token'] button")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("new-token")));
    String made = browser.findElement(By.id("new-token")).getAttribute("value");
    assertThat(made).startsWith("tfa_");
    screenshot("settings-token.png");
    browser.get(url + "/ui/settings");
    assertThat(browser.getPageSource()).contains("ci-deploy").doesNotContain(made);
    assertThat(browser.findElements(By.id("new-token"))).isEmpty();

    // The release's author may not approve its promotion; the page says why.
    logOut();
    logInWithPassword("dana");
    browser.get(url + "/ui/approvals");
    WebElement card = browser.findElement(By.cssSelector("article.approval"));
    assertThat(card.getText())
        .contains("web to production: 1.0.0 → 1.2.3")
        .contains("tag: \"1.2.3\"")
        .contains("Made by")
        .contains("dana");
    screenshot("approvals.png");
    card.findElement(By.cssSelector("button.approve")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.cssSelector("article.approval [role=alert]"), "cannot approve its own promotion"));
    screenshot("approvals-refused.png");

    // A release-manager who did not make it approves: merged.
    logOut();
    logInWithPassword("rita");
    browser.get(url + "/ui/approvals");
    browser.findElement(By.cssSelector("article.approval button.approve")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.cssSelector("article.approval [role=status]"), "Approved and merged into main"));
    assertThat(browser.findElement(By.cssSelector("article.approval .state")).getText())
        .isEqualTo("Merged");
    screenshot("approvals-merged.png");

    // The audit log has both decisions, who made them and how they ended.
    browser.get(url + "/ui/audit?what=approvals");
    String audit = browser.findElement(By.cssSelector("table.list tbody")).getText();
    assertThat(audit).contains("rita").contains("dana").contains("POST /ui/approvals/{id}/approve");
    assertThat(audit).contains("422").contains("200");
    screenshot("audit.png");

    // The other pages, narrow: readable at 420 px.
    browser.get(url + "/ui/releases");
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Releases");
    browser.get(url + "/ui/charts");
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Charts");
    screenshot("charts.png");
    browser.manage().window().setSize(new Dimension(420, 800));
    browser.get(url + "/ui/runs");
    screenshot("runs-narrow.png");
    browser.get(url + "/ui/approvals");
    screenshot("approvals-narrow.png");

    List<String> console =
        browser.manage().logs().get(LogType.BROWSER).getAll().stream()
            .map(LogEntry::getMessage)
            .toList();
    assertThat(console)
        .noneMatch(m -> m.contains("Content Security Policy") || m.contains("Refused to"))
        .noneMatch(m -> m.contains("Uncaught"));
  }

  private void logInWithToken(String token) {
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("token")));
    browser.findElement(By.id("token")).sendKeys(token);
    browser.findElement(By.cssSelector("#login-token button")).click();
    wait.until(ExpectedConditions.urlMatches(".*/ui$"));
  }

  private void logInWithPassword(String user) {
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
    browser.findElement(By.id("username")).sendKeys(user);
    browser.findElement(By.id("password")).sendKeys(password(user));
    browser.findElement(By.cssSelector("#login-password button")).click();
    wait.until(ExpectedConditions.urlMatches(".*/ui$"));
  }

  private void logOut() {
    browser.findElement(By.id("logout")).click();
    wait.until(ExpectedConditions.urlContains("/ui/login"));
  }

  private void addUser(String name) {
    browser.findElement(By.id("user-name")).sendKeys(name);
    browser.findElement(By.id("user-password")).sendKeys(password(name));
    browser.findElement(By.id("user-again")).sendKeys(password(name));
    browser.findElement(By.cssSelector("form[aria-label='Add a user'] button")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("settings-notice"), "User " + name + " added"));
  }

  private static String password(String user) {
    return user + "-correct-horse-battery";
  }

  private void screenshot(String name) {
    HeadlessChromium.screenshot(browser, shots.resolve(name));
  }

  /** One job: a line, a wait for the test's go file, a line, then the promotion to production. */
  private static String workflow(String envUrl, Path go) {
    return """
        on:
          push:
            tags: ['v*']
        jobs:
          release:
            runs-on: ubuntu-latest
            steps:
              - name: build
                env:
                  TOKEN: ${{ secrets.DEPLOY_TOKEN }}
                run: |
                  echo "before <script>x</script>"
                  echo "token: $TOKEN"
                  echo "waiting for go"
                  for i in $(seq 1 600); do [ -f '%s' ] && break; sleep 0.2; done
                  echo "after go"
              - id: promote
                uses: tagflow/promote@v1
                with:
                  repository: %s
                  environments: production
                  application: web
                  author: dana
        """
        .formatted(go, envUrl);
  }
}
