package dev.tagflow.server.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.local.git.GitCommand;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.server.RawHttp;
import dev.tagflow.server.RewritingProxy;
import dev.tagflow.server.TestServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Git server attacked as a client would who has no token: every way of writing a push (or any
 * request that is not exactly a clone or fetch) is refused before JGit sees it, wherever it comes
 * from, and a repository is readable without a token only when its owner said so.
 */
class GitHttpAttackTest {

  @TempDir Path temp;

  private GitCommand git;
  private TestServer server;
  private RawHttp raw;
  private Path work;
  private String url;
  private String main;

  @BeforeEach
  void serveARepositoryWithMain() {
    git = new GitCommand();
    server = TestServer.start(temp.resolve("data"));
    raw = new RawHttp(server.url());
    new HostedRepositories(temp.resolve("data").resolve("git")).create("envs");
    url = server.url() + "/git/envs.git";
    work = GitWorkTree.init(temp.resolve("work")).commit("first").directory();
    git.run(work, "push", "-q", withToken(url), "main");
    main = mainOnServer();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @ParameterizedTest(name = "GET {0}")
  @ValueSource(
      strings = {
        "/git/envs.git/info/refs?service=git-receive-pack",
        "/git/envs.git/info/refs;x?service=git-receive-pack",
        "/git/envs.git/info/refs;service=git-upload-pack?service=git-receive-pack",
        "/git/envs.git/info/refs?service=git%2Dreceive-pack",
        "/git/envs.git/info/refs?service=git-receive-pac%6B",
        "/git/envs.git/info/refs?service=%67%69%74%2d%72%65%63%65%69%76%65%2d%70%61%63%6b",
        "/git/envs.git/info/refs?service=git%252Dreceive-pack",
        "/git/envs.git/info/refs?service=GIT-RECEIVE-PACK",
        "/git/envs.git/info/refs?service=git-upload-pack&service=git-receive-pack",
        "/git/envs.git/info/refs?service=git-receive-pack&service=git-upload-pack",
        "/git/envs.git/info/refs?service=git-upload-pack%00",
        "/git/envs.git/info/refs/?service=git-receive-pack",
        "/git/envs.git/info/./refs?service=git-receive-pack",
        "/git/envs.git/info/x/../refs?service=git-receive-pack",
        "/git/x/../envs.git/info/refs?service=git-receive-pack",
        "/git//envs.git/info/refs?service=git-receive-pack",
        "/git/envs.git//info/refs?service=git-receive-pack",
        "/git/envs.git/info/%72efs?service=git-receive-pack",
        "/git/envs%2Egit/info/refs?service=git-receive-pack",
        "/git/envs.git%2Finfo%2Frefs?service=git-receive-pack",
        "/git/envs.git/info/refs%3Bx?service=git-receive-pack",
        "/git/ENVS.git/info/refs?service=git-receive-pack",
        "/git/envs/info/refs?service=git-receive-pack",
        "/git/envs.git/info/refs",
        "/git/envs.git/HEAD",
        "/git/envs.git/objects/info/packs",
        "/git/envs.git/info/refs?service=git-upload-pack"
      })
  void anythingButAnAllowedReadNeedsAToken(String target) {
    RawHttp.Answer answer = raw.get(target);

    assertThat(answer.status()).as(answer.text()).isGreaterThanOrEqualTo(400);
    assertThat(answer.text()).doesNotContain("report-status").doesNotContain(main);
  }

  @ParameterizedTest(name = "POST {0}")
  @ValueSource(
      strings = {
        "/git/envs.git/git-receive-pack",
        "/git/envs.git/git-receive-pack;x",
        "/git/envs.git/git-receive-pac%6B",
        "/git/envs.git/git%2Dreceive-pack",
        "/git/envs.git/./git-receive-pack",
        "/git/envs.git/x/../git-receive-pack",
        "/git/envs.git/git-receive-pack/",
        "/git/envs.git/git-upload-pack/../git-receive-pack",
        "/git/envs.git/GIT-RECEIVE-PACK",
      })
  void aReceivePackPostNeedsATokenHoweverItIsWritten(String target) {
    // A ref update that would delete main, as git sends it, with no pack.
    String command = main + " " + "0".repeat(40) + " refs/heads/main\0report-status\n";
    byte[] body =
        (String.format("%04x", command.length() + 4) + command + "0000")
            .getBytes(StandardCharsets.UTF_8);

    RawHttp.Answer answer =
        raw.post(target, body, "Content-Type: application/x-git-receive-pack-request");

    assertThat(answer.status()).as(answer.text()).isGreaterThanOrEqualTo(400);
    assertThat(mainOnServer()).isEqualTo(main);
  }

  @ParameterizedTest(name = "a proxy rewriting the push to {0}")
  @ValueSource(strings = {"git-receive-pack;x", "git-receive-pac%6B", "git%2Dreceive-pack"})
  void aRealPushThroughARewritingProxyWithoutATokenMovesNothing(String rewritten)
      throws IOException {
    git.run(work, "commit", "-q", "--allow-empty", "-m", "unauthorised");
    UnaryOperator<String> rewrite = line -> line.replace("git-receive-pack", rewritten);
    try (RewritingProxy proxy = new RewritingProxy(server.url(), rewrite)) {
      GitCommand.Result push = git.tryRun(work, "push", proxy.url() + "/git/envs.git", "main");

      assertThat(push.exitCode()).as(push.output()).isNotZero();
    }
    assertThat(mainOnServer()).isEqualTo(main);
  }

  @Test
  void theProxyPassesAPushWithATokenSoTheRefusalsAboveAreTheServers() throws IOException {
    git.run(work, "commit", "-q", "--allow-empty", "-m", "authorised");
    try (RewritingProxy proxy = new RewritingProxy(server.url(), UnaryOperator.identity())) {
      git.run(work, "push", "-q", withToken(proxy.url() + "/git/envs.git"), "main");
    }
    assertThat(mainOnServer()).isEqualTo(git.run(work, "rev-parse", "HEAD").strip());
  }

  @Test
  void cloningFromLoopbackWithoutATokenIsRefused() {
    GitCommand.Result clone = git.tryRun(temp, "clone", "-q", url, temp.resolve("c").toString());

    assertThat(clone.exitCode()).isNotZero();
    assertThat(clone.output()).contains("could not read Username");
  }

  @Test
  void cloningThroughAProxyOnThisMachineWithoutATokenIsRefused() throws IOException {
    // Behind a reverse proxy on the same host every client arrives from loopback.
    try (RewritingProxy proxy = new RewritingProxy(server.url(), UnaryOperator.identity())) {
      GitCommand.Result clone =
          git.tryRun(
              temp, "clone", "-q", proxy.url() + "/git/envs.git", temp.resolve("c").toString());

      assertThat(clone.exitCode()).isNotZero();
    }
  }

  @Test
  void aRepositoryWithAnonymousReadCanBeClonedButNotPushedWithoutAToken() {
    new HostedRepositories(temp.resolve("data").resolve("git")).setAnonymousRead("envs", true);

    git.run(temp, "clone", "-q", url, temp.resolve("c").toString());
    git.run(temp.resolve("c"), "commit", "-q", "--allow-empty", "-m", "anonymous");
    GitCommand.Result push = git.tryRun(temp.resolve("c"), "push", url, "main");

    assertThat(git.run(temp.resolve("c"), "rev-parse", "origin/main").strip()).isEqualTo(main);
    assertThat(push.exitCode()).isNotZero();
    assertThat(mainOnServer()).isEqualTo(main);
    assertThat(raw.get("/git/envs.git/info/refs?service=git-receive-pack").status()).isEqualTo(401);
  }

  @Test
  void anonymousReadCanBeTurnedOffAgain() {
    HostedRepositories repositories = new HostedRepositories(temp.resolve("data").resolve("git"));
    repositories.setAnonymousRead("envs", true);
    repositories.setAnonymousRead("envs", false);

    assertThat(raw.get("/git/envs.git/info/refs?service=git-upload-pack").status()).isEqualTo(401);
  }

  @Test
  void theServersOwnComponentsReadWithATokenOfTheirOwn() throws IOException {
    assertThat(server.remotes.advertisedRefs(url)).containsEntry("refs/heads/main", main);

    Path file = temp.resolve("data").resolve(OwnGitCredentials.FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    String token = Files.readString(file).strip();
    assertThat(token).isNotEqualTo(TestServer.TOKEN);
    // The token is the server's own: it does not open repositories of another URL.
    assertThat(server.ownCredentials.apply("http://127.0.0.1:1/git/envs.git"))
        .isEqualTo(dev.tagflow.source.RepoCredentials.none());
  }

  private String mainOnServer() {
    String line = git.run(temp, "ls-remote", withToken(url), "refs/heads/main").strip();
    return line.isEmpty() ? "" : line.substring(0, 40);
  }

  private static String withToken(String url) {
    return URI.create(url)
        .toString()
        .replace("http://", "http://tagflow:" + TestServer.TOKEN + "@");
  }
}
