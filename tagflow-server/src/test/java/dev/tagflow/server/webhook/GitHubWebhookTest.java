package dev.tagflow.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.local.git.GitCommand;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.server.TestServer;
import dev.tagflow.source.RefChanged;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitHubWebhookTest {

  @TempDir Path temp;

  private GitCommand git;
  private Path upstream;
  private Path work;
  private String upstreamUrl;
  private TestServer server;

  @BeforeEach
  void startServerFollowingAnUpstreamRepository() {
    git = new GitCommand();
    upstream = temp.resolve("app.git");
    GitWorkTree host = GitWorkTree.init(temp.resolve("work")).withOrigin(upstream).commit("first");
    host.git("push", "-q", "origin", "main");
    work = host.directory();
    upstreamUrl = upstream.toUri().toString();
    server = TestServer.start(temp.resolve("data"), upstreamUrl);
    // What the poller does when a repository is added: the refs as they are now are no news.
    server.tracker.refresh(upstreamUrl, RefChanged.Origin.POLL);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void signedPushDeliveryReportsTheNewTag() {
    git.run(work, "tag", "v1.0.0");
    git.run(work, "push", "-q", upstream.toString(), "v1.0.0");

    HttpResponse<String> response = deliver("push", "d-1", pushPayload("refs/tags/v1.0.0"));

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.body()).contains("\"status\":\"accepted\"").contains(upstreamUrl);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> server.eventRefs().contains("refs/tags/v1.0.0"));
    RefChanged event = server.events.getFirst();
    assertThat(event.origin()).isEqualTo(RefChanged.Origin.GITHUB_WEBHOOK);
    assertThat(event.change()).isEqualTo(RefChanged.Change.CREATED);
    assertThat(event.repository()).isEqualTo(upstreamUrl);
  }

  @Test
  void oneDeliveryReportsEveryTagOfABurstThatGitHubWouldNotAnnounce() {
    for (int i = 1; i <= 5; i++) {
      git.run(work, "tag", "v1.0." + i);
    }
    git.run(work, "push", "-q", upstream.toString(), "--tags");

    // GitHub sends no push event for a push of more than three tags; any later delivery will do.
    deliver("push", "d-burst", pushPayload("refs/heads/main"));

    await().atMost(Duration.ofSeconds(10)).until(() -> server.events.size() == 5);
    assertThat(server.eventRefs())
        .containsExactlyInAnyOrder(
            "refs/tags/v1.0.1",
            "refs/tags/v1.0.2",
            "refs/tags/v1.0.3",
            "refs/tags/v1.0.4",
            "refs/tags/v1.0.5");
  }

  @Test
  void deletedBranchIsReportedAsDeleted() {
    git.run(work, "push", "-q", upstream.toString(), "main:release");
    server.tracker.refresh(upstreamUrl, RefChanged.Origin.POLL);
    git.run(work, "push", "-q", upstream.toString(), ":release");

    deliver("push", "d-delete", pushPayload("refs/heads/release"));

    await().atMost(Duration.ofSeconds(10)).until(() -> !server.events.isEmpty());
    assertThat(server.events.getFirst().ref()).isEqualTo("refs/heads/release");
    assertThat(server.events.getFirst().change()).isEqualTo(RefChanged.Change.DELETED);
  }

  @Test
  void deliveryWithAWrongSignatureIsRefusedAndChangesNothing() {
    git.run(work, "tag", "v1.0.0");
    git.run(work, "push", "-q", upstream.toString(), "v1.0.0");
    String body = pushPayload("refs/tags/v1.0.0");

    HttpResponse<String> response =
        server.post(
            "/api/webhooks/github",
            body,
            "X-GitHub-Event",
            "push",
            "X-GitHub-Delivery",
            "d-wrong",
            "X-Hub-Signature-256",
            WebhookSecret.of("another secret").signatureOf(bytes(body)));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).contains("invalid_signature").contains("--webhook-secret-file");
    assertNothingTriggered();
    assertThat(rejections("invalid_signature")).isEqualTo(1.0);
  }

  @Test
  void deliveryWithoutASignatureIsRefusedAndChangesNothing() {
    git.run(work, "tag", "v1.0.0");
    git.run(work, "push", "-q", upstream.toString(), "v1.0.0");

    HttpResponse<String> response =
        server.post(
            "/api/webhooks/github",
            pushPayload("refs/tags/v1.0.0"),
            "X-GitHub-Event",
            "push",
            "X-GitHub-Delivery",
            "d-unsigned");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).contains("missing_signature");
    assertNothingTriggered();
    assertThat(rejections("missing_signature")).isEqualTo(1.0);
  }

  @Test
  void replayedDeliveryIsIgnored() {
    git.run(work, "tag", "v1.0.0");
    git.run(work, "push", "-q", upstream.toString(), "v1.0.0");
    String body = pushPayload("refs/tags/v1.0.0");
    deliver("push", "d-once", body);
    await().atMost(Duration.ofSeconds(10)).until(() -> server.events.size() == 1);

    git.run(work, "tag", "v2.0.0");
    git.run(work, "push", "-q", upstream.toString(), "v2.0.0");
    HttpResponse<String> replay = deliver("push", "d-once", body);

    assertThat(replay.statusCode()).isEqualTo(200);
    assertThat(replay.body()).contains("\"status\":\"ignored\"").contains("already received");
    // The first delivery triggered once; the replay, answered already, did not.
    assertThat(server.triggers("github-webhook")).isEqualTo(1.0);
    assertThat(server.eventRefs()).containsExactly("refs/tags/v1.0.0");
  }

  @Test
  void pingIsAnsweredWithPongAndTriggersNothing() {
    HttpResponse<String> response =
        deliver(
            "ping",
            "d-ping",
            "{\"zen\":\"Keep it logically awesome.\",\"hook_id\":1,\"repository\":{\"clone_url\":\""
                + upstreamUrl
                + "\"}}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"status\":\"pong\"");
    assertNothingTriggered();
  }

  @Test
  void pushToAnUntrackedRepositoryIsAcknowledgedAndIgnored() {
    String body =
        "{\"ref\":\"refs/tags/v1\","
            + "\"repository\":{\"clone_url\":\"https://github.com/acme/other.git\"}}";

    HttpResponse<String> response = deliver("push", "d-other", body);

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.body()).contains("\"status\":\"ignored\"").contains("tagflow repo add");
  }

  @Test
  void repositoryIsMatchedByItsSshUrlToo() {
    RepositoryUrls urls = new RepositoryUrls(() -> List.of("https://github.com/Acme/App"));

    assertThat(urls.matching(List.of("git@github.com:acme/app.git")))
        .containsExactly("https://github.com/Acme/App");
    assertThat(urls.matching(List.of("ssh://git@github.com:22/acme/app.git/")))
        .containsExactly("https://github.com/Acme/App");
    assertThat(urls.matching(List.of("https://github.com/acme/app-2.git"))).isEmpty();
  }

  private HttpResponse<String> deliver(String event, String deliveryId, String body) {
    return server.post(
        "/api/webhooks/github",
        body,
        "X-GitHub-Event",
        event,
        "X-GitHub-Delivery",
        deliveryId,
        "X-Hub-Signature-256",
        WebhookSecret.of(TestServer.SECRET).signatureOf(bytes(body)));
  }

  private String pushPayload(String ref) {
    return "{\"ref\":\""
        + ref
        + "\",\"before\":\"0000000000000000000000000000000000000000\","
        + "\"after\":\"1111111111111111111111111111111111111111\","
        + "\"repository\":{\"full_name\":\"acme/app\",\"clone_url\":\""
        + upstreamUrl
        + "\",\"html_url\":\"https://github.com/acme/app\","
        + "\"ssh_url\":\"git@github.com:acme/app.git\"}}";
  }

  /** Nothing was triggered by the deliveries answered so far, so no event can follow. */
  private void assertNothingTriggered() {
    assertThat(server.triggers("github-webhook")).isZero();
    assertThat(server.events).isEmpty();
  }

  private double rejections(String reason) {
    return server
        .meters
        .get("tagflow.webhook.rejections")
        .tag("provider", "github")
        .tag("reason", reason)
        .counter()
        .count();
  }

  private static byte[] bytes(String body) {
    return body.getBytes(StandardCharsets.UTF_8);
  }
}
