package dev.tagflow.server.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.server.RawHttp;
import dev.tagflow.server.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code /api/repos} attacked with the bodies and requests a careless or hostile client sends: each
 * is refused with a 400 naming what is wrong, nothing is created, and nothing is told to a client
 * without a token.
 */
class RepositoryApiAttackTest {

  private static final String AUTH = "Authorization: Bearer " + TestServer.TOKEN;

  @TempDir Path temp;

  private TestServer server;
  private RawHttp raw;

  @BeforeEach
  void startServer() {
    server = TestServer.start(temp.resolve("data"));
    raw = new RawHttp(server.url());
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  static Stream<Arguments> malformedBodies() {
    return Stream.of(
        Arguments.of("zzz", "the body is not JSON"),
        Arguments.of("[]", "must be a JSON object, not ARRAY"),
        Arguments.of("\"app\"", "must be a JSON object, not STRING"),
        Arguments.of("null", "must be a JSON object"),
        Arguments.of("{}", "'name' is required"),
        Arguments.of("{\"name\":\"\"}", "'name' is required"),
        Arguments.of("{\"name\":42}", "'name' is required"),
        Arguments.of("{\"name\":[\"app\"]}", "'name' is required"),
        Arguments.of("{\"name\":\"app\",\"owner\":\"eve\"}", "unknown field owner"),
        Arguments.of(
            "{\"name\":\"app\",\"anonymousRead\":\"yes\"}",
            "'anonymousRead' must be true or false"),
        Arguments.of("{\"name\":\"app\"} trailing", "the body is not JSON"),
        Arguments.of("{\"name\":\"app\"", "the body is not JSON"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedBodies")
  void aMalformedBodyIsA400NamingTheProblem(String body, String problem) {
    RawHttp.Answer answer =
        raw.post(
            "/api/repos",
            body.getBytes(StandardCharsets.UTF_8),
            AUTH,
            "Content-Type: application/json");

    assertThat(answer.status()).as(answer.text()).isEqualTo(400);
    assertThat(answer.text()).contains("invalid_request").contains(problem);
    assertThat(Files.exists(temp.resolve("data/git/app.git"))).isFalse();
  }

  @Test
  void anEmptyBodyIsA400() {
    RawHttp.Answer answer = raw.post("/api/repos", new byte[0], AUTH);

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.text()).contains("the body is empty");
  }

  @Test
  void deeplyNestedJsonIsA400NotAStackOverflow() {
    String body = "[".repeat(100_000) + "]".repeat(100_000);

    RawHttp.Answer answer = raw.post("/api/repos", body.getBytes(StandardCharsets.UTF_8), AUTH);

    assertThat(answer.status()).isEqualTo(400);
  }

  @Test
  void aBodyOverOneMegabyteIsRefusedWithoutCreatingAnything() {
    String body = "{\"name\":\"app\",\"pad\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";

    RawHttp.Answer answer = raw.post("/api/repos", body.getBytes(StandardCharsets.UTF_8), AUTH);

    assertThat(answer.status()).isEqualTo(413);
    assertThat(Files.exists(temp.resolve("data/git/app.git"))).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"../escape", "..", ".hidden", "a/b", "a\\\\b", "app\\u0000", "%2e%2e"})
  void aNameThatCouldLeaveTheRootIsRefused(String name) {
    RawHttp.Answer answer =
        raw.post(
            "/api/repos", ("{\"name\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8), AUTH);

    assertThat(answer.status()).as(answer.text()).isEqualTo(400);
    assertThat(temp.resolve("data")).isDirectoryNotContaining("glob:**escape*");
  }

  @Test
  void listingRepositoriesWithoutATokenTellsNothing() {
    new HostedRepositories(temp.resolve("data").resolve("git")).create("secret-project");

    RawHttp.Answer anonymous = raw.get("/api/repos");
    RawHttp.Answer wrong = raw.get("/api/repos", "Authorization: Bearer guessed");

    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(anonymous.text() + wrong.text()).doesNotContain("secret-project");
    assertThat(raw.get("/api/repos", AUTH).text()).contains("secret-project");
  }

  @Test
  void anonymousReadIsCreatedOnlyWhenAsked() {
    raw.post("/api/repos", "{\"name\":\"open\",\"anonymousRead\":true}".getBytes(), AUTH);
    raw.post("/api/repos", "{\"name\":\"closed\"}".getBytes(), AUTH);

    HostedRepositories repositories = new HostedRepositories(temp.resolve("data").resolve("git"));
    assertThat(repositories.allowsAnonymousRead("open")).isTrue();
    assertThat(repositories.allowsAnonymousRead("closed")).isFalse();
  }
}
