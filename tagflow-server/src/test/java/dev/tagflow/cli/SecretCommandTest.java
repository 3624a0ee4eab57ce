package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretCommandTest {

  @TempDir Path data;
  @TempDir Path work;

  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  @Test
  void setsFromStdinAndFileListsNamesOnlyAndDeletes() throws Exception {
    String fromStdin = "stdin-value-" + System.nanoTime();
    String fromFile = "-----BEGIN KEY-----\nfile-value\n-----END KEY-----\n";
    Path file = Files.writeString(work.resolve("key.pem"), fromFile);

    assertThat(
            runWithStdin(
                fromStdin + "\n", "secret", "set", "registry_password", "--project", "shop"))
        .isZero();
    assertThat(out.toString()).contains("Set secret REGISTRY_PASSWORD of project shop.");
    assertThat(run("secret", "set", "DEPLOY_KEY", "--repo", "web", "--from-file", file.toString()))
        .isZero();

    assertThat(run("secret", "list")).isZero();
    assertThat(out.toString())
        .containsPattern("NAME +SCOPE +UPDATED")
        .containsPattern("REGISTRY_PASSWORD +project shop +20")
        .containsPattern("DEPLOY_KEY +repository web +20")
        .doesNotContain(fromStdin)
        .doesNotContain("file-value");
    assertThat(run("secret", "list", "--repo", "web", "-o", "json")).isZero();
    assertThat(out.toString())
        .contains("\"name\" : \"DEPLOY_KEY\"")
        .contains("\"repository\" : \"web\"")
        .doesNotContain("REGISTRY_PASSWORD");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(data.resolve("secrets.key"))))
        .isEqualTo("rw-------");

    assertThat(run("secret", "delete", "DEPLOY_KEY", "--repo", "web")).isZero();
    assertThat(run("secret", "delete", "DEPLOY_KEY", "--repo", "web"))
        .isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("no secret DEPLOY_KEY of repository web");
  }

  @Test
  void aValueGivenAsAnArgumentIsRefusedWithoutEchoingIt() {
    String value = "do-not-echo-" + System.nanoTime();

    assertThat(run("secret", "set", "TOKEN", value, "--project", "shop"))
        .isEqualTo(ExitCode.INVALID_INPUT);

    assertThat(err.toString())
        .contains("takes no value as an argument")
        .contains("--from-file")
        .doesNotContain(value);
    assertThat(out.toString()).doesNotContain(value);
  }

  @Test
  void aScopeIsRequiredAndOnlyOne() {
    assertThat(runWithStdin("v", "secret", "set", "TOKEN")).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("--project <name> or --repo <name>");

    assertThat(runWithStdin("v", "secret", "set", "TOKEN", "--project", "a", "--repo", "b"))
        .isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("not both");
  }

  @Test
  void aKeyFileOthersCanReadStopsEveryVerbWithTheFix() throws Exception {
    assertThat(runWithStdin("v", "secret", "set", "TOKEN", "--project", "shop")).isZero();
    Path key = data.resolve("secrets.key");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

    assertThat(run("secret", "list")).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("has mode rw-r--r--").contains("chmod 600 " + key);
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
