package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
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
 * The web UI in Debian's headless Chromium against a real {@code tagflow server} with a real
 * application on the testkit's cluster: log in with the admin token through the page, see the
 * board, commit to the application's Git and watch its cell change without a reload; a change made
 * after a board was rendered and before its stream opened is the stream's first event; an
 * application removed from Git leaves the board without a reload. Screenshots of the login page and
 * the board go to {@code target/screenshots/}.
 */
@ExtendWith(LocalClusterExtension.class)
class BoardBrowserIT {

  // Kept when the test fails: the server's log is in it.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path temp;

  private final String name = "board-" + UUID.randomUUID().toString().substring(0, 8);
  private Process server;
  private WebDriver browser;

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null && server.isAlive()) {
      server.destroyForcibly();
    }
  }

  @Test
  void aPersonLogsInSeesTheBoardAndWatchesACellChangeLiveWhenGitMoves(
      LocalCluster cluster, TestNamespace ns) throws Exception {
    GitWorkTree repo = GitWorkTree.init(temp.resolve("env"));
    repo.write("environments/dev/settings.yaml", configMap("one"));
    repo.commit("settings one");
    String first = repo.head().substring(0, 7);
    Path apps = Files.createDirectories(temp.resolve("apps"));
    Files.writeString(
        apps.resolve(name + ".yaml"),
        """
        apiVersion: tagflow.dev/v1alpha1
        kind: Application
        metadata: {name: %s-dev, labels: {environment: dev}}
        spec:
          project: shop
          source: {repoURL: "%s", targetRevision: main, path: environments/dev}
          destination: {cluster: local, namespace: %s}
          syncPolicy: {automated: {prune: true, selfHeal: true}}
        """
            .formatted(name, repo.url(), ns.name()));
    Path data = temp.resolve("data");
    Path out = temp.resolve("server.out");
    Path err = temp.resolve("server.err");
    server =
        TagflowProcess.of(
                List.of(
                    "server",
                    "--data-dir",
                    data.toString(),
                    "--port",
                    "0",
                    "--apps",
                    apps.toString(),
                    "--kubeconfig",
                    cluster.kubeconfig().toString(),
                    "--poll-interval",
                    "1s"),
                out,
                err)
            .start();
    URI url = TagflowProcess.listening(server, out, err);
    String adminToken = Files.readString(data.resolve("admin-token")).strip();

    browser = HeadlessChromium.start();
    Path shots = Files.createDirectories(Path.of("target", "screenshots"));
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(120));

    // Without a session the board sends to the login page.
    browser.get(url.resolve("/ui").toString());
    wait.until(ExpectedConditions.urlContains("/ui/login"));
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Log in to Tagflow");
    screenshot(shots.resolve("login.png"));

    // A wrong token: the page says so, in its alert region.
    browser.findElement(By.id("token")).sendKeys("tfa_not-a-token");
    browser.findElement(By.cssSelector("#login-token button")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("login-error"), "not valid"));

    WebElement token = browser.findElement(By.id("token"));
    token.clear();
    token.sendKeys(adminToken);
    browser.findElement(By.cssSelector("#login-token button")).click();
    wait.until(ExpectedConditions.urlMatches(".*/ui$"));
    WebElement heading = browser.findElement(By.tagName("h1"));
    assertThat(heading.getText()).isEqualTo("Board");
    assertThat(browser.findElement(By.cssSelector("thead")).getText()).contains("dev");
    assertThat(browser.findElement(By.cssSelector("tbody th")).getText()).isEqualTo(name);
    By cell = By.id("cell-" + name + "-dev");
    // The first sync, live or already on the page.
    wait.until(ExpectedConditions.textToBePresentInElementLocated(cell, first));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(cell, "Healthy"));
    assertThat(browser.findElement(cell).getText()).contains("main").contains("Synced");
    screenshot(shots.resolve("board.png"));

    // Git moves: the cell shows the new commit without the page being loaded again.
    repo.write("environments/dev/settings.yaml", configMap("two"));
    repo.commit("settings two");
    String second = repo.head().substring(0, 7);
    wait.until(ExpectedConditions.textToBePresentInElementLocated(cell, second));
    // The heading found before is still the page's: a reload would have made it stale.
    assertThat(heading.getText()).isEqualTo("Board");
    assertThat(browser.findElement(cell).getText()).doesNotContain(first);
    screenshot(shots.resolve("board-live.png"));

    // A change between a board's render and its stream's opening is not lost: the page carries the
    // version it was rendered at, and the stream opened with it first sends what changed since.
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> rendered =
        http.send(
            HttpRequest.newBuilder(url.resolve("/ui"))
                .header("Authorization", "Bearer " + adminToken)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Matcher since = Pattern.compile("/ui/board/events\\?since=(\\d+)").matcher(rendered.body());
    assertThat(since.find()).as("the board carries its version").isTrue();
    assertThat(rendered.body()).contains(second);
    repo.write("environments/dev/settings.yaml", configMap("three"));
    repo.commit("settings three");
    String third = repo.head().substring(0, 7);
    // The controller has it (the API says so) before the stream opens.
    wait.until(d -> apiShows(http, url, adminToken, name + "-dev", third));
    HttpResponse<Stream<String>> stream =
        http.send(
            HttpRequest.newBuilder(url.resolve("/ui/board/events?since=" + since.group(1)))
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + adminToken)
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    assertThat(stream.statusCode()).isEqualTo(200);
    String event = "event: " + "app-" + name + "-dev";
    CompletableFuture<String> caughtUp =
        CompletableFuture.supplyAsync(
            () -> {
              Iterator<String> lines = stream.body().iterator();
              boolean ours = false;
              while (lines.hasNext()) {
                String line = lines.next();
                if (line.equals(event)) {
                  ours = true;
                } else if (ours && line.startsWith("data: ")) {
                  return line;
                }
              }
              return "";
            });
    // Bounded only so that a broken stream fails the test instead of hanging it.
    assertThat(caughtUp.get(120, TimeUnit.SECONDS)).contains(third);
    stream.body().close();
    // The page in the browser got it live too.
    wait.until(ExpectedConditions.textToBePresentInElementLocated(cell, third));

    // The charts: uPlot (from its webjar) draws the syncs' durations from the page's own table.
    browser.get(url.resolve("/ui/charts").toString());
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#chart-sync canvas")));
    assertThat(browser.findElements(By.cssSelector("#table-sync tbody tr"))).isNotEmpty();
    assertThat(browser.findElement(By.id("table-deploys")).getAttribute("textContent"))
        .contains("dev");
    screenshot(shots.resolve("charts-syncs.png"));
    browser.get(url.resolve("/ui").toString());
    wait.until(ExpectedConditions.textToBePresentInElementLocated(cell, third));

    // Nothing the page asked for was refused by its Content-Security-Policy, and no script failed.
    List<String> console =
        browser.manage().logs().get(LogType.BROWSER).getAll().stream()
            .map(LogEntry::getMessage)
            .toList();
    assertThat(console)
        // The wrong token's 401 is there: the browser's console is really read.
        .anyMatch(m -> m.contains("401"))
        .noneMatch(m -> m.contains("Content Security Policy") || m.contains("Refused to"))
        .noneMatch(m -> m.contains("Uncaught"));

    // Readable in a narrow window: the table scrolls in its own region, the page does not.
    browser.manage().window().setSize(new Dimension(420, 800));
    screenshot(shots.resolve("board-narrow.png"));
    browser.manage().window().setSize(new Dimension(1280, 800));

    // The application leaves Git: its row leaves the board, without a reload.
    WebElement boardHeading = browser.findElement(By.tagName("h1"));
    Files.delete(apps.resolve(name + ".yaml"));
    wait.until(ExpectedConditions.invisibilityOfElementLocated(cell));
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("board"), "No applications"));
    assertThat(boardHeading.getText()).isEqualTo("Board");
    assertThat(browser.findElements(By.cssSelector("tbody th"))).isEmpty();

    // Logging out ends the session: the board sends to the login page again.
    browser.findElement(By.id("logout")).click();
    wait.until(ExpectedConditions.urlContains("/ui/login"));
    browser.get(url.resolve("/ui").toString());
    wait.until(ExpectedConditions.urlContains("/ui/login"));
  }

  /** Whether the API shows that commit as deployed for the application. */
  private static boolean apiShows(
      HttpClient http, URI url, String token, String app, String commit) {
    try {
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(url.resolve("/api/v1/applications/" + app))
                  .header("Authorization", "Bearer " + token)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return answer.statusCode() == 200
          && answer.body().contains("\"deployedRevision\":\"" + commit);
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void screenshot(Path file) {
    HeadlessChromium.screenshot(browser, file);
  }

  private static String configMap(String value) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        data: {value: "%s"}
        """
        .formatted(value);
  }
}
