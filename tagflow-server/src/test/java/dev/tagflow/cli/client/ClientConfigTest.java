package dev.tagflow.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.cli.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's configuration file: contexts written 0600 and read back, mistakes at line:column.
 */
class ClientConfigTest {

  @TempDir Path temp;

  private static ClientConfig.Context token(String name, String server, String token) {
    return new ClientConfig.Context(
        name, server, Optional.of(token), Optional.empty(), Optional.empty());
  }

  @Test
  void contextsAreWrittenOwnerOnlyAndReadBackAsTheyWere() throws Exception {
    Path file = temp.resolve("xdg/tagflow/config.yaml");
    ClientConfig config =
        ClientConfig.empty()
            .with(token("lab", "https://127.0.0.1:7070", "tfa_one\"quoted\\\n"))
            .with(
                new ClientConfig.Context(
                    "prod",
                    "https://tagflow.example",
                    Optional.empty(),
                    Optional.of(
                        new ClientConfig.Session(
                            "alice", "c00kie", "csrf", "2026-12-07T10:00:00Z")),
                    Optional.of(Path.of("/etc/ssl/ca: odd.pem"))));
    config.write(file);
    assertThat(Files.getPosixFilePermissions(file))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(Files.getPosixFilePermissions(file.getParent()))
        .isEqualTo(
            Set.of(
                PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE));
    ClientConfig read = ClientConfig.read(file);
    assertThat(read).isEqualTo(config);
    assertThat(read.current().orElseThrow().name()).isEqualTo("prod");

    // Replacing a context keeps the others; removing the current one makes another current.
    ClientConfig replaced = read.with(token("lab", "https://127.0.0.1:7070", "tfa_two"));
    replaced.write(file);
    assertThat(ClientConfig.read(file).contexts()).hasSize(2);
    assertThat(ClientConfig.read(file).context("lab").orElseThrow().token()).contains("tfa_two");
    ClientConfig.read(file).without("lab").write(file);
    assertThat(ClientConfig.read(file).currentContext()).contains("prod");
    ClientConfig.read(file).without("prod").write(file);
    assertThat(ClientConfig.read(file)).isEqualTo(ClientConfig.empty());
    try (var files = Files.list(file.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()).toList())
          .containsExactly("config.yaml");
    }
  }

  @Test
  void aMissingFileIsNoContextAndTheLocationFollowsXdg() {
    assertThat(ClientConfig.read(temp.resolve("none.yaml"))).isEqualTo(ClientConfig.empty());
    assertThat(ClientConfig.location(Map.of("XDG_CONFIG_HOME", "/x/conf")))
        .isEqualTo(Path.of("/x/conf/tagflow/config.yaml"));
    // A relative XDG_CONFIG_HOME is invalid by the specification: ignored.
    assertThat(ClientConfig.location(Map.of("XDG_CONFIG_HOME", "rel")))
        .isEqualTo(Path.of(System.getProperty("user.home"), ".config/tagflow/config.yaml"));
  }

  @Test
  void mistakesAreNamedAtTheirLineAndColumn() {
    Path file = Path.of("/home/me/.config/tagflow/config.yaml");
    Map<String, String> cases =
        Map.ofEntries(
            Map.entry("contexts: [\n  {name: a\n", file + ":3:1: not valid YAML"),
            Map.entry("currentContext: a\nfoo: 1\n", file + ":2:1: unknown field 'foo'"),
            Map.entry("contexts: 3\n", file + ":1:11: contexts must be a list"),
            Map.entry("contexts:\n  - name: a\n", file + ":2:5: this context has no server"),
            Map.entry(
                "contexts:\n  - {name: a, server: s, token: [1]}\n",
                file + ":2:33: a text value was expected"),
            Map.entry(
                "contexts:\n  - {name: a, server: s}\n  - {name: a, server: t}\n",
                file + ":3:5: a second context named 'a'"),
            Map.entry(
                "currentContext: a\ncurrentContext: b\n",
                file + ":2:1: duplicate field 'currentContext'"),
            Map.entry("- 1\n", file + ":1:1: a mapping of fields was expected"),
            Map.entry(
                "contexts:\n  - {name: a, server: s, session: {user: u}}\n",
                file + ":2:35: this session has no cookie"),
            Map.entry("a: &x [*x]\n", file.toString()));
    cases.forEach(
        (text, expected) ->
            assertThatThrownBy(() -> ClientConfig.parse(file, text))
                .as(text)
                .isInstanceOfSatisfying(
                    ClientFailure.class,
                    f -> {
                      assertThat(f.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
                      assertThat(f.getMessage()).startsWith(expected);
                    }));
  }

  @Test
  void aFileOfAliasBombsOrTooDeepNestingIsRefused() throws Exception {
    StringBuilder bomb = new StringBuilder("a: &a [x,x,x,x,x,x,x,x,x]\n");
    for (char c = 'b'; c <= 'k'; c++) {
      bomb.append(c).append(": &").append(c).append(" [");
      for (int i = 0; i < 9; i++) {
        bomb.append(i == 0 ? "" : ",").append('*').append((char) (c - 1));
      }
      bomb.append("]\n");
    }
    assertThatThrownBy(() -> ClientConfig.parse(Path.of("c.yaml"), bomb.toString()))
        .isInstanceOf(ClientFailure.class);
    assertThatThrownBy(
            () ->
                ClientConfig.parse(Path.of("c.yaml"), "a: " + "[".repeat(1000) + "]".repeat(1000)))
        .isInstanceOf(ClientFailure.class)
        .hasMessageStartingWith("c.yaml:");
    Path big = temp.resolve("big.yaml");
    Files.writeString(big, "# " + "x".repeat(ClientConfig.MAX_BYTES));
    assertThatThrownBy(() -> ClientConfig.read(big)).hasMessageContaining("larger than");
  }

  @Test
  void theWrittenTextNeverHoldsAnUnquotedValue() {
    String text =
        ClientConfig.empty().with(token("a: b", "http://h:1", "tfa_x # not a comment")).yaml();
    assertThat(text).contains("name: \"a: b\"", "token: \"tfa_x # not a comment\"");
    assertThat(ClientConfig.parse(Path.of("c"), text).contexts())
        .isEqualTo(List.of(token("a: b", "http://h:1", "tfa_x # not a comment")));
  }
}
