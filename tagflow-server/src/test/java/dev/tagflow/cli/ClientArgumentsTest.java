package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * The client verbs refuse what they cannot send before any request: server URLs that are not one
 * (or carry credentials), application names that would leave the API's path, bad durations and
 * history ids; each an invalid-input exit with a one-line message.
 */
class ClientArgumentsTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void loginRefusesWhatIsNotAServerUrl() {
    for (String url :
        new String[] {
          "ftp://host:21",
          "127.0.0.1:7070",
          "http://",
          "https://host:7070/api/v1",
          "https://host:7070?x=1",
          "http://[::1",
          "https://" + "a".repeat(5000) + ":1/x"
        }) {
      err.getBuffer().setLength(0);
      assertThat(run("login", url, "--token-stdin")).as(url).isEqualTo(ExitCode.INVALID_INPUT);
      assertThat(err.toString()).as(url).startsWith("tagflow: ").hasSizeLessThan(400);
    }
  }

  @Test
  void aUrlWithCredentialsIsRefusedWithoutRepeatingThem() {
    assertThat(run("login", "https://admin:s3cret-pass@host:7070", "--token-stdin"))
        .isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("holds credentials").doesNotContain("s3cret-pass");
  }

  @Test
  void namesThatWouldLeaveThePathAreRefusedBeforeAnyRequest() {
    for (String name :
        new String[] {"../etc", "a/b", "Web", "web?x=1", "web%2F", "web-", "a".repeat(300), "é"}) {
      err.getBuffer().setLength(0);
      // A server that is not there: the refusal comes first, so it is never asked.
      assertThat(run("app", "get", name, "--server", "http://127.0.0.1:9", "--token", "t"))
          .as(name)
          .isEqualTo(ExitCode.INVALID_INPUT);
      assertThat(err.toString()).as(name).contains("not an application name");
    }
  }

  @Test
  void badDurationsHistoryIdsAndFormatsAreInvalidInput() {
    assertThat(run("app", "wait", "web", "--timeout", "soon")).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("--timeout 'soon' is not a duration");
    assertThat(run("app", "rollback", "web", "0", "--server", "http://127.0.0.1:9", "--token", "t"))
        .isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run("app", "rollback", "web", "x")).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run("app", "list", "-o", "xml")).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run("login", "http://127.0.0.1:9", "--token-stdin", "--username", "a"))
        .isEqualTo(ExitCode.INVALID_INPUT);
  }
}
