package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.server.auth.AdminToken;
import dev.tagflow.server.auth.ApiTokens;
import dev.tagflow.server.auth.OpaqueSecret;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.store.StoreOptions;
import dev.tagflow.store.jdbc.JdbcStore;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tagflow token|user|audit} against a data directory, and the admin token file. */
class AccessCommandsTest {

  @TempDir Path data;

  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  @Test
  void tokensAreShownOnceListedWithoutSecretsRevokedAndAudited() throws Exception {
    assertThat(run("token", "create", "ci", "--owner", "alice", "--expires", "30d")).isZero();
    String token = out.toString().strip();
    assertThat(token).startsWith(ApiTokens.PREFIX).hasSize(47);
    assertThat(err.toString()).contains("Token ci").contains("shown this once");

    assertThat(run("token", "list")).isZero();
    assertThat(out.toString()).containsPattern("ci +alice +active").doesNotContain(token);
    assertThat(run("token", "list", "-o", "json")).isZero();
    assertThat(out.toString())
        .contains("\"state\" : \"active\"")
        .doesNotContain(token)
        .doesNotContain(OpaqueSecret.digest(token));

    assertThat(run("token", "revoke", "ci")).isZero();
    assertThat(run("token", "list")).isZero();
    assertThat(out.toString()).containsPattern("ci +alice +revoked");
    assertThat(run("token", "revoke", "nope")).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("no token with id or name 'nope'");

    assertThat(run("audit", "--since", "1h")).isZero();
    assertThat(out.toString())
        .contains("token create")
        .contains("token revoke")
        .contains("local")
        .doesNotContain(token);
  }

  @Test
  void badTokenArgumentsAreRefusedWithTheFix() {
    assertThat(run("token", "create", "ci", "--owner", "alice", "--expires", "-3d"))
        .isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("--expires must be a positive number");
    assertThat(run("token", "create", "bad name", "--owner", "alice"))
        .isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("is not allowed");
    assertThat(run("token", "create", "x", "--owner", "role:admin"))
        .isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run("token", "create", "ci", "--owner", "alice")).isZero();
    assertThat(run("token", "create", "ci", "--owner", "bob")).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("exists already");
    assertThat(run("audit", "--since", "yesterday")).isEqualTo(ExitCode.INVALID_INPUT);
  }

  @Test
  void usersAreAddedFromStdinListedChangedAndRemoved() {
    assertThat(runWithStdin("a long enough password\n", "user", "add", "alice", "--password-stdin"))
        .isZero();
    assertThat(runWithStdin("short\n", "user", "add", "bob", "--password-stdin"))
        .isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("shorter than 12");
    assertThat(runWithStdin("another password!\n", "user", "add", "alice", "--password-stdin"))
        .isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run("user", "list")).isZero();
    assertThat(out.toString()).contains("alice").doesNotContain("bob");
    assertThat(runWithStdin("a new long password\n", "user", "passwd", "alice", "--password-stdin"))
        .isZero();
    assertThat(run("user", "remove", "alice")).isZero();
    assertThat(run("user", "remove", "alice")).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run("audit")).isZero();
    assertThat(out.toString())
        .contains("user add")
        .contains("user passwd")
        .contains("user remove")
        .doesNotContain("a long enough password")
        .doesNotContain("a new long password");
  }

  @Test
  void theAdminTokenIsMadeOncePrintedOnceAndItsFileIsPrivate() throws Exception {
    try (JdbcStore store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(data)))) {
      ApiTokens tokens = new ApiTokens(store.access(), Clock.systemUTC());
      StringWriter console = new StringWriter();
      assertThat(AdminToken.ensure(data, tokens, new PrintWriter(console))).isTrue();
      Path file = data.resolve(AdminToken.FILE);
      String token = Files.readString(file).strip();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      assertThat(console.toString()).contains(token).contains(file.toString());
      assertThat(tokens.authenticate(token))
          .hasValueSatisfying(p -> assertThat(p.subjects()).contains("admin"));

      StringWriter again = new StringWriter();
      assertThat(AdminToken.ensure(data, tokens, new PrintWriter(again))).isFalse();
      assertThat(again.toString()).isEmpty();

      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> AdminToken.ensure(data, tokens, new PrintWriter(new StringWriter())))
          .hasMessageContaining("chmod 600 " + file)
          .hasMessageContaining("rw-r--r--")
          .hasMessageNotContaining(token);
    }
  }

  private int runWithStdin(String stdin, String... args) {
    InputStream original = System.in;
    System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    try {
      return run(args);
    } finally {
      System.setIn(original);
    }
  }

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--data-dir";
    all[args.length + 1] = data.toString();
    return Main.run(all, new PrintWriter(out, true), new PrintWriter(err, true));
  }
}
