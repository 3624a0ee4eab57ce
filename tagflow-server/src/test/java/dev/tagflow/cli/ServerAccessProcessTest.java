package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tagflow server} as a process: the admin token printed once and kept private, the file's
 * RBAC policy followed on reload (a bad one keeps the last good), a loose admin-token file refused.
 */
class ServerAccessProcessTest {

  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
  private static final Pattern ADMIN =
      Pattern.compile("Admin token \\(shown once;[^:]*: (tfa_\\S+)");
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path temp;
  private final HttpClient http = HttpClient.newHttpClient();
  private Process server;
  private Path serverOut;
  private Path serverErr;

  @AfterEach
  void stopServer() throws InterruptedException {
    stop();
    http.close();
  }

  @Test
  void adminTokenOncePolicyFollowedAndALooseTokenFileRefused() throws Exception {
    Path data = Files.createDirectories(temp.resolve("data"));
    Path config = Files.createDirectories(temp.resolve("conf")).resolve("tagflow.yaml");
    String head = "dataDir: " + data + "\n";
    Files.writeString(config, head + "rbac:\n  policy: |\n    g, alice, role:viewer\n");

    URI url = start(config);
    Matcher admin = ADMIN.matcher(Files.readString(serverOut));
    assertThat(admin.find()).as(Files.readString(serverOut)).isTrue();
    String adminToken = admin.group(1);
    Path tokenFile = data.resolve("admin-token");
    assertThat(Files.readString(tokenFile).strip()).isEqualTo(adminToken);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)))
        .isEqualTo("rw-------");
    assertThat(status(url, adminToken)).isEqualTo(200);
    assertThat(status(url, null)).isEqualTo(401);

    // A token for alice, made by the CLI while the server runs: the same store.
    StringWriter out = new StringWriter();
    assertThat(
            Main.run(
                new String[] {
                  "token", "create", "laptop", "--owner", "alice", "--data-dir", data.toString()
                },
                new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true)))
        .isZero();
    String alice = out.toString().strip();
    assertThat(status(url, alice)).isEqualTo(200);

    // The policy no longer makes alice a viewer: followed without a restart.
    saveAsAnEditorDoes(config, head + "rbac:\n  policy: |\n    g, bob, role:viewer\n");
    await().atMost(PATIENCE).until(() -> status(url, alice) == 403);

    // A policy with a mistake: refused, the last good one stays, /healthz says where.
    saveAsAnEditorDoes(
        config, head + "rbac:\n  policy: |\n    g, alice, role:viewer\n    p, alice, apps\n");
    await().atMost(PATIENCE).until(() -> health(url).contains("rbac.policy line 2 column 1"));
    assertThat(status(url, alice)).isEqualTo(403);
    stop();
    assertThat(Files.readString(serverErr)).doesNotContain(adminToken).doesNotContain(alice);

    // A second start makes no new admin token and prints none.
    saveAsAnEditorDoes(config, head);
    start(config);
    assertThat(Files.readString(serverOut)).doesNotContain("Admin token");
    stop();

    // The token file readable by others: the server refuses to start, naming the chmod.
    Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-r--r--"));
    Process refused = launch(config);
    assertThat(refused.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(refused.exitValue()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(Files.readString(serverErr))
        .contains("chmod 600 " + tokenFile)
        .doesNotContain(adminToken);
  }

  private int status(URI url, String token) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(url.resolve("/api/repos")).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  private String health(URI url) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(url.resolve("/healthz")).GET().build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private URI start(Path config) throws Exception {
    server = launch(config);
    await()
        .atMost(PATIENCE)
        .until(() -> LISTENING.matcher(Files.readString(serverOut)).find() || !server.isAlive());
    Matcher listening = LISTENING.matcher(Files.readString(serverOut));
    if (!listening.find()) {
      throw new AssertionError("the server did not start:\n" + Files.readString(serverErr));
    }
    return URI.create(listening.group(1));
  }

  private Process launch(Path config) throws IOException {
    serverOut = temp.resolve("server.out");
    serverErr = temp.resolve("server.err");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Dlogback.configurationFile=logback.xml");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of("server", "--config", config.toString(), "--port", "0"));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("TAGFLOW_LOG_LEVEL");
    return builder.redirectOutput(serverOut.toFile()).redirectError(serverErr.toFile()).start();
  }

  private void stop() throws InterruptedException {
    if (server != null) {
      server.destroy();
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
      server = null;
    }
  }

  private static void saveAsAnEditorDoes(Path file, String text) throws IOException {
    Path written = Files.writeString(file.resolveSibling(".tagflow.yaml.swp"), text);
    Files.move(written, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
