package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.PlainJson;
import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
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
 * The application page in Debian's headless Chromium against a real {@code tagflow server} and the
 * testkit's cluster: from the board (which grows a row and a column live when an application
 * appears) to an application's page, its resources, the diff after a hand edit in the cluster (a
 * Secret's values never in the page), a rollback through its confirmation page that the history
 * shows, and a viewer who gets no rollback button and whose forged rollback is refused with a page.
 * Screenshots go to {@code target/screenshots/}.
 */
@ExtendWith(LocalClusterExtension.class)
class ApplicationPageBrowserIT {

  /** Secret values of the application: neither may appear in any page, plain or in base64. */
  static final String SECRET_VALUE = "s3cret-from-git-4711";

  static final String HAND_SECRET = "s3cret-by-hand-0815";

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path temp;

  private final String name = "page-" + UUID.randomUUID().toString().substring(0, 8);
  private final String frozen = "frozen-" + name;
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
  void aPersonOpensAnApplicationSeesItsTreeAndDiffAndRollsBackWhileAViewerMayNot(
      LocalCluster cluster, KubernetesClient client, TestNamespace ns) throws Exception {
    assertThat(
            Files.isExecutable(HeadlessChromium.CHROMIUM)
                && Files.isExecutable(HeadlessChromium.CHROMEDRIVER))
        .as(
            "the browser tests need Debian's chromium and chromium-driver: run scripts/install-deps")
        .isTrue();

    GitWorkTree repo = GitWorkTree.init(temp.resolve("env"));
    repo.write("environments/dev/settings.yaml", configMap("settings", "one"));
    repo.write("environments/dev/creds.yaml", secret());
    repo.write("environments/staging/extra.yaml", configMap("extra", "staging"));
    repo.commit("settings one");
    Path apps = Files.createDirectories(temp.resolve("apps"));
    // Automated, not self-healing: a hand edit stays, as drift the diff shows.
    Files.writeString(apps.resolve(name + ".yaml"), application(name + "-dev", "dev", repo, ns));
    // Production, behind a deny window that is always open: it never syncs, nobody may roll back.
    repo.write("environments/production/frozen.yaml", configMap("frozen", "prod"));
    repo.commit("production");
    Files.writeString(apps.resolve(frozen + ".yaml"), application(frozen, "production", repo, ns));
    Path data = Files.createDirectories(temp.resolve("data"));
    Path config = temp.resolve("tagflow.yaml");
    Files.writeString(
        config,
        """
        dataDir: %s
        projects:
          - name: shop
            destinations: [{cluster: "*", namespace: "*"}]
            syncWindows:
              - {kind: deny, schedule: '* * * * *', duration: 1h, applications: ['%s']}
        rbac:
          policy: |
            g, vic, role:viewer
        """
            .formatted(data, frozen));
    Path out = temp.resolve("server.out");
    Path err = temp.resolve("server.err");
    server =
        TagflowProcess.of(
                List.of(
                    "server",
                    "--config",
                    config.toString(),
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
    String viewerToken = token(data, "vic");

    // The server's address leads to the board.
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    HttpResponse<String> root =
        http.send(
            HttpRequest.newBuilder(url.resolve("/")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(root.statusCode()).isEqualTo(302);
    assertThat(root.headers().firstValue("Location")).hasValue("/ui");

    browser = HeadlessChromium.start();
    Path shots = Files.createDirectories(Path.of("target", "screenshots"));
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(120));
    logIn(url, adminToken, wait);

    By cell = By.id("cell-" + name + "-dev");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(cell, "Healthy"));
    WebElement heading = browser.findElement(By.tagName("h1"));

    // A new application in a new environment: its row and column appear without a reload.
    Files.writeString(
        apps.resolve(name + "-extra.yaml"), application(name + "x-staging", "staging", repo, ns));
    By extra = By.id("cell-" + name + "x-staging");
    wait.until(ExpectedConditions.presenceOfElementLocated(extra));
    assertThat(browser.findElement(By.cssSelector("thead")).getText()).contains("staging");
    assertThat(heading.getText()).isEqualTo("Board");
    // And its cell keeps updating live after the table was fetched again.
    wait.until(ExpectedConditions.textToBePresentInElementLocated(extra, "Synced"));

    // From the board to the application's page.
    browser.findElement(By.cssSelector("#cell-" + name + "-dev a.app")).click();
    wait.until(ExpectedConditions.urlContains("/ui/applications/" + name + "-dev"));
    assertThat(browser.findElement(By.tagName("h1")).getText())
        .isEqualTo("Application " + name + "-dev");
    assertThat(browser.findElement(By.id("sync")).getText()).isEqualTo("Sync: Synced");
    assertThat(browser.findElement(By.id("health")).getText()).isEqualTo("Health: Healthy");
    WebElement settingsRow = browser.findElement(By.cssSelector("tr.object[data-name='settings']"));
    assertThat(settingsRow.getText()).contains("ConfigMap").contains("Synced");
    assertThat(browser.findElement(By.cssSelector("tr.object[data-name='creds']")).getText())
        .contains("Secret");
    assertThat(browser.findElement(By.id("history")).getText()).contains("#1");
    screenshot(shots.resolve("application.png"));

    // Git moves: the history shows sync #2 live, on the page already open.
    repo.write("environments/dev/settings.yaml", configMap("settings", "two"));
    repo.commit("settings two");
    WebElement pageHeading = browser.findElement(By.tagName("h1"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sync-2")));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sync"), "Synced"));
    assertThat(pageHeading.isDisplayed()).isTrue();

    // A hand edit in the cluster: the diff shows it, side by side, with who changed the field.
    client
        .configMaps()
        .inNamespace(ns.name())
        .withName("settings")
        .edit(
            cm -> {
              cm.getData().put("value", "by-hand");
              return cm;
            });
    client
        .secrets()
        .inNamespace(ns.name())
        .withName("creds")
        .edit(
            s -> {
              s.getData().put("password", base64(HAND_SECRET));
              return s;
            });
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sync"), "OutOfSync"));
    browser.get(url.resolve("/ui/applications/" + name + "-dev/diff").toString());
    WebElement diff = browser.findElement(By.id("ConfigMap-" + ns.name() + "-settings"));
    assertThat(diff.findElement(By.cssSelector("td.del")).getText()).contains("by-hand");
    assertThat(diff.findElement(By.cssSelector("td.add")).getText()).contains("two");
    assertThat(diff.getText()).contains("changed by");
    WebElement secretDiff = browser.findElement(By.id("Secret-" + ns.name() + "-creds"));
    assertThat(secretDiff.getText()).contains("password").contains("+++++++++");
    assertNoSecretIn(browser.getPageSource());
    screenshot(shots.resolve("application-diff.png"));

    // Roll back to #1 through the confirmation page.
    browser.get(url.resolve("/ui/applications/" + name + "-dev").toString());
    assertNoSecretIn(browser.getPageSource());
    browser.findElement(By.cssSelector("#sync-1 a.rollback")).click();
    wait.until(ExpectedConditions.urlContains("/rollback?id=1"));
    assertThat(browser.findElement(By.tagName("h1")).getText())
        .isEqualTo("Roll back " + name + "-dev to sync #1?");
    screenshot(shots.resolve("application-rollback-confirm.png"));
    browser.findElement(By.id("confirm-rollback")).click();
    wait.until(ExpectedConditions.urlContains("rolledBack=1"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sync-3")));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sync-3"), "USER"));
    wait.until(
        d ->
            "one"
                .equals(
                    client
                        .configMaps()
                        .inNamespace(ns.name())
                        .withName("settings")
                        .get()
                        .getData()
                        .get("value")));
    assertThat(browser.findElement(By.id("live")).getText()).contains("automated sync is off");
    screenshot(shots.resolve("application-rolled-back.png"));

    // Readable in a narrow window.
    browser.manage().window().setSize(new Dimension(420, 900));
    screenshot(shots.resolve("application-narrow.png"));
    Long overflow =
        (Long)
            ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
    assertThat(overflow).as("the page scrolls sideways at 420 px").isLessThanOrEqualTo(0L);
    browser.manage().window().setSize(new Dimension(1280, 800));

    List<String> console =
        browser.manage().logs().get(LogType.BROWSER).getAll().stream()
            .map(LogEntry::getMessage)
            .toList();
    assertThat(console)
        .noneMatch(m -> m.contains("Content Security Policy") || m.contains("Refused to"))
        .noneMatch(m -> m.contains("Uncaught"));

    // A viewer: no rollback button, the reason instead; the confirmation page refuses too.
    browser.findElement(By.id("logout")).click();
    wait.until(ExpectedConditions.urlContains("/ui/login"));
    logIn(url, viewerToken, wait);
    browser.get(url.resolve("/ui/applications/" + name + "-dev").toString());
    assertThat(browser.findElements(By.cssSelector("a.rollback"))).isEmpty();
    assertThat(browser.findElement(By.id("rollback-refused")).getText())
        .contains("vic may not applications/rollback");
    screenshot(shots.resolve("application-viewer.png"));
    browser.get(url.resolve("/ui/applications/" + name + "-dev/rollback?id=1").toString());
    assertThat(browser.findElements(By.id("confirm-rollback"))).isEmpty();
    assertThat(browser.findElement(By.id("rollback-refused")).getText()).contains("may not");

    // A forged rollback by the viewer, with a real session and its CSRF token: a 403 page.
    String[] viewer = session(http, url, viewerToken);
    String cookie = viewer[0];
    String csrf = viewer[1];
    HttpResponse<String> forged =
        http.send(
            HttpRequest.newBuilder(url.resolve("/ui/applications/" + name + "-dev/rollback"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", cookie)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8) + "&id=1"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(forged.body()).contains("vic may not applications/rollback");
    // Without the CSRF token even an admin's session is refused.
    HttpResponse<String> noCsrf =
        http.send(
            HttpRequest.newBuilder(url.resolve("/ui/applications/" + name + "-dev/rollback"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.ofString("id=1"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(noCsrf.statusCode()).isEqualTo(403);
    assertThat(noCsrf.body()).contains("CSRF");
    // A closed sync window: the page says so instead of offering a rollback, and a rollback posted
    // anyway by an admin (who may) is refused with the window's reason.
    String[] admin = session(http, url, adminToken);
    HttpResponse<String> frozenPage =
        http.send(
            HttpRequest.newBuilder(url.resolve("/ui/applications/" + frozen))
                .header("Cookie", admin[0])
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(frozenPage.statusCode()).isEqualTo(200);
    assertThat(frozenPage.body())
        .contains("Rollback not available: a sync window keeps syncs closed")
        .doesNotContain("class=\"button rollback\"");
    HttpResponse<String> windowClosed =
        http.send(
            HttpRequest.newBuilder(url.resolve("/ui/applications/" + frozen + "/rollback"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", admin[0])
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "csrf=" + URLEncoder.encode(admin[1], StandardCharsets.UTF_8) + "&id=1"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(windowClosed.statusCode()).isEqualTo(409);
    assertThat(windowClosed.body()).contains("sync window keeps syncs closed").contains("deny");
    // Nothing of that ran: the history still ends at #3.
    browser.get(url.resolve("/ui/applications/" + name + "-dev").toString());
    assertThat(browser.findElements(By.id("sync-4"))).isEmpty();
  }

  /** A session opened with the token: its cookie ({@code name=value}) and CSRF token. */
  static String[] session(HttpClient http, URI url, String token) throws Exception {
    HttpResponse<String> login =
        http.send(
            HttpRequest.newBuilder(url.resolve("/api/v1/session"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(login.statusCode()).as(login.body()).isEqualTo(201);
    return new String[] {
      login.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0],
      PlainJson.MAPPER.readTree(login.body()).path("csrfToken").asText()
    };
  }

  private void logIn(URI url, String token, WebDriverWait wait) {
    logIn(browser, url, token, wait);
  }

  /** Logs the browser in with the token through the login page. */
  static void logIn(WebDriver browser, URI url, String token, WebDriverWait wait) {
    browser.get(url.resolve("/ui").toString());
    wait.until(ExpectedConditions.urlContains("/ui/login"));
    browser.findElement(By.id("token")).sendKeys(token);
    browser.findElement(By.cssSelector("#login-token button")).click();
    wait.until(ExpectedConditions.urlMatches(".*/ui$"));
  }

  private static void assertNoSecretIn(String page) {
    for (String value : List.of(SECRET_VALUE, HAND_SECRET)) {
      assertThat(page).doesNotContain(value).doesNotContain(base64(value));
    }
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  static String token(Path data, String owner) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            new String[] {
              "token", "create", owner + "-it", "--owner", owner, "--data-dir", data.toString()
            },
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    assertThat(code).as(err.toString()).isZero();
    return out.toString().strip();
  }

  private void screenshot(Path file) {
    HeadlessChromium.screenshot(browser, file);
  }

  private static String application(String app, String env, GitWorkTree repo, TestNamespace ns) {
    return ApplicationActionsBrowserIT.application(
        app, env, repo, ns, "syncPolicy: {automated: {prune: true, selfHeal: false}}");
  }

  private static String configMap(String name, String value) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: %s}
        data: {value: "%s"}
        """
        .formatted(name, value);
  }

  private static String secret() {
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: creds}
        stringData: {password: "%s"}
        """
        .formatted(SECRET_VALUE);
  }
}
