package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The application page's actions in Debian's headless Chromium against a real {@code tagflow
 * server} and the testkit's cluster: the resource tree shows a Deployment's ReplicaSet and Pod;
 * with Git polled only hourly, a hard refresh (chosen with the keyboard) fetches a new commit; a
 * sync with prune (by keyboard too) deletes what Git no longer has; after a rollback, automated
 * sync is turned on again from the page; production is synced through its confirmation page; a
 * deployer's production sync and a viewer's refresh, forged with their sessions' CSRF tokens, get a
 * 403 page. Screenshots go to {@code target/screenshots/}.
 */
@ExtendWith(LocalClusterExtension.class)
class ApplicationActionsBrowserIT {

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path temp;

  private final String name = "act-" + UUID.randomUUID().toString().substring(0, 8);
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
  void aPersonSyncsRefreshesAndTurnsAutomationOnAgainWhileOthersAreRefused(
      LocalCluster cluster, KubernetesClient client, TestNamespace ns) throws Exception {
    GitWorkTree repo = GitWorkTree.init(temp.resolve("env"));
    repo.write("environments/dev/web.yaml", deployment());
    repo.write("environments/dev/extra.yaml", configMap("extra"));
    repo.write("environments/production/settings.yaml", configMap(name + "-prod"));
    repo.commit("web and extra");
    Path apps = Files.createDirectories(temp.resolve("apps"));
    String dev = name + "-dev";
    String production = name + "-production";
    // Automated without prune: what Git drops stays until a sync with prune.
    Files.writeString(
        apps.resolve(dev + ".yaml"),
        application(dev, "dev", repo, ns, "syncPolicy: {automated: {prune: false}}"));
    // Production syncs only when a person asks.
    Files.writeString(
        apps.resolve(production + ".yaml"), application(production, "production", repo, ns, ""));
    Path data = Files.createDirectories(temp.resolve("data"));
    Path config = temp.resolve("tagflow.yaml");
    Files.writeString(
        config,
        """
        dataDir: %s
        projects:
          - name: shop
            destinations: [{cluster: "*", namespace: "*"}]
        rbac:
          policy: |
            g, dee, role:deployer
            g, vic, role:viewer
        """
            .formatted(data));
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
                    // Git is not polled during the test: only a hard refresh sees a new commit.
                    "--poll-interval",
                    "1h"),
                out,
                err)
            .start();
    URI url = TagflowProcess.listening(server, out, err);
    String adminToken = Files.readString(data.resolve("admin-token")).strip();
    String deployerToken = ApplicationPageBrowserIT.token(data, "dee");
    String viewerToken = ApplicationPageBrowserIT.token(data, "vic");

    browser = HeadlessChromium.start();
    Path shots = Files.createDirectories(Path.of("target", "screenshots"));
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(120));
    ApplicationPageBrowserIT.logIn(browser, url, adminToken, wait);

    // The tree: the Deployment, and below it what it owns in the cluster.
    browser.get(url.resolve("/ui/applications/" + dev).toString());
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("health"), "Healthy"));
    By replicaSet = By.cssSelector("tr.owned[data-kind='ReplicaSet'][data-owner='web']");
    By pod = By.cssSelector("tr.owned.depth-2[data-kind='Pod']");
    wait.until(ExpectedConditions.presenceOfElementLocated(replicaSet));
    wait.until(ExpectedConditions.presenceOfElementLocated(pod));
    String replicaSetName = browser.findElement(replicaSet).getAttribute("data-name");
    assertThat(replicaSetName).startsWith("web-");
    assertThat(browser.findElement(pod).getAttribute("data-owner")).isEqualTo(replicaSetName);
    assertThat(browser.findElement(pod).getText()).contains("Pod").contains(replicaSetName);
    wait.until(ExpectedConditions.textToBePresentInElementLocated(pod, "Healthy"));
    screenshot(shots.resolve("application-tree.png"));

    // Git drops extra; nothing polls it: a hard refresh, chosen and sent by keyboard, fetches it.
    repo.remove("environments/dev/extra.yaml");
    repo.commit("extra gone");
    String head = repo.head().substring(0, 12);
    browser.findElement(By.id("refresh-hard")).sendKeys(Keys.SPACE);
    assertThat(browser.findElement(By.id("refresh-hard")).isSelected()).isTrue();
    browser.findElement(By.id("refresh-button")).sendKeys(Keys.ENTER);
    wait.until(ExpectedConditions.urlContains("done=hard-refresh"));
    assertThat(browser.findElement(By.cssSelector("p.notice")).getText())
        .contains("Hard refresh asked for");
    // Automated sync deploys the new commit without pruning: extra stays, waiting for a prune.
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("revision"), head));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sync"), "OutOfSync"));
    assertThat(client.configMaps().inNamespace(ns.name()).withName("extra").get()).isNotNull();

    // A sync with prune, by keyboard: extra is deleted.
    browser.findElement(By.id("sync-prune")).sendKeys(Keys.SPACE);
    browser.findElement(By.id("sync-button")).sendKeys(Keys.ENTER);
    wait.until(ExpectedConditions.urlContains("done=sync"));
    assertThat(browser.findElement(By.cssSelector("p.notice")).getText())
        .contains("Sync asked for");
    wait.until(d -> client.configMaps().inNamespace(ns.name()).withName("extra").get() == null);
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sync"), "Synced"));
    screenshot(shots.resolve("application-synced.png"));

    // A rollback turns automated sync off; the page turns it on again.
    browser.findElement(By.cssSelector("#sync-1 a.rollback")).click();
    wait.until(ExpectedConditions.urlContains("/rollback?id=1"));
    browser.findElement(By.id("confirm-rollback")).click();
    wait.until(ExpectedConditions.urlContains("rolledBack=1"));
    // The summary says so (the events keep saying it happened, so the summary's line is looked at).
    By automationOff = By.cssSelector("#live dd.notice");
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(automationOff, "automated sync is off"));
    browser.navigate().refresh();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("automation-button")));
    screenshot(shots.resolve("application-automation-off.png"));
    browser.findElement(By.id("automation-button")).click();
    wait.until(ExpectedConditions.urlContains("done=automation"));
    wait.until(ExpectedConditions.numberOfElementsToBe(automationOff, 0));

    // Production: the sync goes through its confirmation page.
    browser.get(url.resolve("/ui/applications/" + production).toString());
    assertThat(browser.findElement(By.id("sync-button")).getText()).isEqualTo("Sync…");
    browser.findElement(By.id("sync-button")).click();
    wait.until(ExpectedConditions.urlContains("/applications/" + production + "/sync?"));
    assertThat(browser.findElement(By.tagName("h1")).getText())
        .isEqualTo("Sync " + production + " in production?");
    screenshot(shots.resolve("application-sync-confirm.png"));
    browser.findElement(By.id("confirm-sync")).click();
    wait.until(ExpectedConditions.urlContains("done=sync"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sync"), "Synced"));
    assertThat(client.configMaps().inNamespace(ns.name()).withName(name + "-prod").get())
        .isNotNull();

    List<String> console =
        browser.manage().logs().get(LogType.BROWSER).getAll().stream()
            .map(LogEntry::getMessage)
            .toList();
    assertThat(console)
        .noneMatch(m -> m.contains("Content Security Policy") || m.contains("Refused to"))
        .noneMatch(m -> m.contains("Uncaught"));

    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    // A production sync posted without the confirmation goes to the confirmation page.
    String[] admin = ApplicationPageBrowserIT.session(http, url, adminToken);
    HttpResponse<String> unconfirmed = post(http, url, production + "/sync", admin, "prune=true");
    assertThat(unconfirmed.statusCode()).isEqualTo(303);
    assertThat(unconfirmed.headers().firstValue("Location"))
        .hasValue("/ui/applications/" + production + "/sync?prune=true&confirmPrune=false");

    // A deployer may not sync production: no form, the reason; a forged one gets a 403 page.
    String[] deployer = ApplicationPageBrowserIT.session(http, url, deployerToken);
    HttpResponse<String> page = get(http, url, production, deployer);
    assertThat(page.body())
        .contains("Sync not available: dee may not applications/sync")
        .doesNotContain("id=\"sync-form\"");
    HttpResponse<String> forged =
        post(http, url, production + "/sync", deployer, "confirmed=yes&prune=true");
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(forged.body()).contains("dee may not applications/sync");
    // In dev the deployer may refresh.
    assertThat(post(http, url, dev + "/refresh", deployer, "").statusCode()).isEqualTo(303);

    // A viewer may not refresh, nor turn automation on.
    String[] viewer = ApplicationPageBrowserIT.session(http, url, viewerToken);
    assertThat(get(http, url, dev, viewer).body())
        .contains("Refresh not available: vic may not applications/refresh");
    HttpResponse<String> refresh = post(http, url, dev + "/refresh", viewer, "hard=true");
    assertThat(refresh.statusCode()).isEqualTo(403);
    assertThat(refresh.body()).contains("vic may not applications/refresh");
    assertThat(post(http, url, dev + "/automation", viewer, "").statusCode()).isEqualTo(403);
  }

  private static HttpResponse<String> get(HttpClient http, URI url, String app, String[] session)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(url.resolve("/ui/applications/" + app))
            .header("Cookie", session[0])
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A form POST with the session's cookie and CSRF token. */
  private static HttpResponse<String> post(
      HttpClient http, URI url, String path, String[] session, String form) throws Exception {
    String body = "csrf=" + URLEncoder.encode(session[1], StandardCharsets.UTF_8);
    return http.send(
        HttpRequest.newBuilder(url.resolve("/ui/applications/" + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Cookie", session[0])
            .POST(HttpRequest.BodyPublishers.ofString(form.isEmpty() ? body : body + "&" + form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void screenshot(Path file) {
    HeadlessChromium.screenshot(browser, file);
  }

  /** An Application of project shop in that environment, with that sync policy line. */
  static String application(
      String app, String env, GitWorkTree repo, TestNamespace ns, String policy) {
    return """
        apiVersion: tagflow.dev/v1alpha1
        kind: Application
        metadata: {name: %s, labels: {environment: %s, tagflow.dev/environment: %s}}
        spec:
          project: shop
          source: {repoURL: "%s", targetRevision: main, path: environments/%s}
          destination: {cluster: local, namespace: %s}
          %s
        """
        .formatted(app, env, env, repo.url(), env, ns.name(), policy);
  }

  private static String deployment() {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 1
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
                - {name: main, image: example.invalid/web:1.0.0}
        """;
  }

  private static String configMap(String name) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: %s}
        data: {value: "1"}
        """
        .formatted(name);
  }
}
