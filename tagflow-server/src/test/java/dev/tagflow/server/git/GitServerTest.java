package dev.tagflow.server.git;

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

class GitServerTest {

  @TempDir Path temp;

  private GitCommand git;
  private TestServer server;
  private Path work;

  @BeforeEach
  void startServer() {
    git = new GitCommand();
    server = TestServer.start(temp.resolve("data"));
    work = GitWorkTree.init(temp.resolve("work")).commit("first").directory();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void pushingFiveTagsAtOnceReportsEveryTag() {
    String url = createRepository("app");
    git.run(work, "push", "-q", withToken(url, TestServer.TOKEN), "main");
    await().atMost(Duration.ofSeconds(10)).until(() -> server.events.size() == 1);
    for (int i = 1; i <= 5; i++) {
      git.run(work, "tag", "-a", "v1.2." + i, "-m", "release " + i);
    }

    git.run(work, "push", "-q", "--tags", withToken(url, TestServer.TOKEN));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> server.events.stream().filter(RefChanged::isTag).count() == 5);
    assertThat(server.events.stream().filter(RefChanged::isTag))
        .allSatisfy(
            event -> {
              assertThat(event.origin()).isEqualTo(RefChanged.Origin.GIT_SERVER);
              assertThat(event.change()).isEqualTo(RefChanged.Change.CREATED);
              assertThat(event.repository()).isEqualTo(url);
            })
        .extracting(RefChanged::shortName)
        .containsExactlyInAnyOrder("v1.2.1", "v1.2.2", "v1.2.3", "v1.2.4", "v1.2.5");
    String head = git.run(work, "rev-parse", "HEAD").strip();
    assertThat(server.events.stream().filter(RefChanged::isTag))
        .allSatisfy(event -> assertThat(event.newCommit()).contains(head));
  }

  @Test
  void pushWithoutATokenIsRefusedAndChangesNothing() {
    String url = createRepository("app");

    GitCommand.Result push = git.tryRun(work, "push", url, "main");

    assertThat(push.exitCode()).isNotZero();
    // The server challenged for credentials, and git had none to give.
    assertThat(push.output()).contains("could not read Username");
    assertThat(git.run(temp, "ls-remote", withToken(url, TestServer.TOKEN))).isBlank();
    // The push was refused before JGit saw it, so no post-receive hook ran and nothing was
    // triggered; a trigger is counted before git's request is answered.
    assertThat(server.triggers("git-server")).isZero();
    assertThat(server.events).isEmpty();
  }

  @Test
  void pushWithAWrongTokenIsRefusedAndChangesNothing() {
    String url = createRepository("app");

    GitCommand.Result push = git.tryRun(work, "push", withToken(url, "guessed"), "main");

    assertThat(push.exitCode()).isNotZero();
    assertThat(git.run(temp, "ls-remote", withToken(url, TestServer.TOKEN))).isBlank();
  }

  @Test
  void cloningWithATokenGetsTheRepository() {
    String url = createRepository("app");
    git.run(work, "push", "-q", withToken(url, TestServer.TOKEN), "main");

    git.run(
        temp, "clone", "-q", withToken(url, TestServer.TOKEN), temp.resolve("clone").toString());

    assertThat(git.run(temp.resolve("clone"), "rev-parse", "HEAD"))
        .isEqualTo(git.run(work, "rev-parse", "HEAD"));
  }

  @Test
  void firstPushToARepositoryCreatedOnDiskIsReportedInFull() {
    // As 'tagflow git create' does, with or without a running server: no baseline was recorded.
    new HostedRepositories(temp.resolve("data").resolve("git")).create("environments");
    String url = server.url() + "/git/environments.git";
    git.run(work, "tag", "v0.1.0");

    git.run(work, "push", "-q", withToken(url, TestServer.TOKEN), "main", "v0.1.0");

    await().atMost(Duration.ofSeconds(10)).until(() -> server.events.size() == 2);
    assertThat(server.eventRefs()).containsExactlyInAnyOrder("refs/heads/main", "refs/tags/v0.1.0");
  }

  @Test
  void creatingARepositoryNeedsAToken() {
    HttpResponse<String> response = server.post("/api/repos", "{\"name\":\"app\"}");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).contains("needs a token");
  }

  @Test
  void creatingARepositoryWithAnUnsafeNameIsRefused() {
    HttpResponse<String> response =
        server.post(
            "/api/repos",
            "{\"name\":\"../escape\"}",
            "Authorization",
            "Bearer " + TestServer.TOKEN);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("invalid_name");
  }

  @Test
  void createdRepositoriesAreListed() {
    String url = createRepository("charts");

    HttpResponse<String> list =
        server.get("/api/repos", "Authorization", "Bearer " + TestServer.TOKEN);

    assertThat(list.body()).contains("\"name\":\"charts\"").contains(url);
    assertThat(
            server
                .post(
                    "/api/repos",
                    "{\"name\":\"charts\"}",
                    "Authorization",
                    "Bearer " + TestServer.TOKEN)
                .statusCode())
        .isEqualTo(409);
  }

  private String createRepository(String name) {
    HttpResponse<String> created =
        server.post(
            "/api/repos",
            "{\"name\":\"" + name + "\"}",
            "Authorization",
            "Bearer " + TestServer.TOKEN);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String url = server.url() + "/git/" + name + ".git";
    assertThat(created.body()).contains(url);
    return url;
  }

  private static String withToken(String url, String token) {
    return url.replace("http://", "http://tagflow:" + token + "@");
  }
}
