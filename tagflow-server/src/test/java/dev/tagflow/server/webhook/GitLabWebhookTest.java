package dev.tagflow.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.local.git.GitCommand;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.server.TestServer;
import dev.tagflow.source.RefChanged;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitLabWebhookTest {

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
    upstreamUrl = upstream.toString();
    server = TestServer.start(temp.resolve("data"), upstreamUrl);
    server.tracker.refresh(upstreamUrl, RefChanged.Origin.POLL);
    git.run(work, "tag", "v1.0.0");
    git.run(work, "push", "-q", upstream.toString(), "v1.0.0");
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void tagPushWithTheRightTokenReportsTheTag() {
    HttpResponse<String> response = deliver(TestServer.SECRET, "uuid-1");

    assertThat(response.statusCode()).isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> server.eventRefs().contains("refs/tags/v1.0.0"));
    assertThat(server.events.getFirst().origin()).isEqualTo(RefChanged.Origin.GITLAB_WEBHOOK);
  }

  @Test
  void tagPushWithAWrongTokenIsRefusedAndChangesNothing() {
    HttpResponse<String> response = deliver("not the secret", "uuid-2");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).contains("invalid_token");
    // A trigger is counted before the delivery is answered: none means no event can follow.
    assertThat(server.triggers("gitlab-webhook")).isZero();
    assertThat(server.events).isEmpty();
  }

  @Test
  void tagPushWithoutATokenIsRefused() {
    HttpResponse<String> response =
        server.post("/api/webhooks/gitlab", payload(), "X-Gitlab-Event", "Tag Push Hook");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).contains("missing_token");
  }

  private HttpResponse<String> deliver(String token, String uuid) {
    return server.post(
        "/api/webhooks/gitlab",
        payload(),
        "X-Gitlab-Event",
        "Tag Push Hook",
        "X-Gitlab-Event-UUID",
        uuid,
        "X-Gitlab-Token",
        token);
  }

  private String payload() {
    return "{\"object_kind\":\"tag_push\",\"ref\":\"refs/tags/v1.0.0\","
        + "\"project\":{\"git_http_url\":\"https://gitlab.example.com/acme/app.git\","
        + "\"git_ssh_url\":\"git@gitlab.example.com:acme/app.git\"},"
        + "\"repository\":{\"git_http_url\":\"file://"
        + upstreamUrl
        + "\"}}";
  }
}
