package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tagflow login} and {@code tagflow app …} as processes of their own against a real {@code
 * tagflow server} process with an application on the testkit's cluster: the configuration file
 * written with mode 0600 and no token printed, list/get/diff/sync/wait with their exit codes, a
 * Secret masked and a field's manager named in the diff, a session login, a revoked token, a server
 * that is down, a server whose certificate is not trusted, and a broken configuration file.
 */
@ExtendWith(LocalClusterExtension.class)
class ClientCommandsIT {

  private static final Duration PATIENCE = Duration.ofSeconds(180);

  @TempDir Path temp;

  private final String name = "cli-" + UUID.randomUUID().toString().substring(0, 8);

  /** The output of one {@code tagflow} process. */
  private record Run(int exit, String out, String err) {
    String both() {
      return out + err;
    }
  }

  /** {@code tagflow args…} with this test's configuration directory, env and standard input. */
  private Run tagflow(Map<String, String> env, String stdin, String... args) throws Exception {
    Path out = Files.createTempFile(temp, "cli", ".out");
    Path err = Files.createTempFile(temp, "cli", ".err");
    ProcessBuilder builder = TagflowProcess.of(List.of(args), out, err);
    builder.environment().remove("TAGFLOW_TOKEN");
    builder.environment().remove("TAGFLOW_SERVER");
    builder.environment().put("XDG_CONFIG_HOME", temp.resolve("xdg").toString());
    builder.environment().putAll(env);
    Path in =
        Files.writeString(Files.createTempFile(temp, "cli", ".in"), stdin == null ? "" : stdin);
    builder.redirectInput(in.toFile());
    Process process = builder.start();
    assertThat(process.waitFor(300, TimeUnit.SECONDS)).as(String.join(" ", args)).isTrue();
    return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  private Run tagflow(String... args) throws Exception {
    return tagflow(Map.of(), null, args);
  }

  private Path configFile() {
    return temp.resolve("xdg/tagflow/config.yaml");
  }

  private static String manifests(String value, String password) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        data: {value: "%s"}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: credentials}
        stringData: {password: "%s"}
        """
        .formatted(value, password);
  }

  private static String value(KubernetesClient client, String namespace) {
    ConfigMap settings = client.configMaps().inNamespace(namespace).withName("settings").get();
    return settings == null ? null : settings.getData().get("value");
  }

  @Test
  void aPersonLogsInAndListsDiffsSyncsAndWaitsForAnApplicationFromTheCommandLine(
      LocalCluster cluster, KubernetesClient client, TestNamespace ns) throws Exception {
    GitWorkTree repo = GitWorkTree.init(temp.resolve("env"));
    repo.write("environments/staging/settings.yaml", manifests("one", "first-secret-value"));
    repo.commit("settings one");
    Path apps = Files.createDirectories(temp.resolve("apps"));
    Files.writeString(
        apps.resolve(name + ".yaml"),
        """
        apiVersion: tagflow.dev/v1alpha1
        kind: Application
        metadata: {name: %s}
        spec:
          project: shop
          source: {repoURL: "%s", targetRevision: main, path: environments/staging}
          destination: {cluster: local, namespace: %s}
        """
            .formatted(name, repo.url(), ns.name()));
    Path config = temp.resolve("tagflow.yaml");
    Files.writeString(
        config,
        """
        projects:
          - name: shop
            destinations: [{cluster: "*", namespace: "*"}]
        rbac:
          policy: |
            g, vic, role:viewer
            g, alice, role:deployer
        """);
    try (ServerProcess server =
        new ServerProcess(temp.resolve("server"), "push-token-1234567890")) {
      String url =
          server
              .withCluster(cluster.kubeconfig())
              .with("--config", config.toString(), "--apps", apps.toString())
              .with("--poll-interval", "1s")
              .start();
      String admin = Files.readString(server.data().resolve("admin-token")).strip();

      // Login: the token from standard input, checked, saved with mode 0600, never printed.
      Run login = tagflow(Map.of(), admin + "\n", "login", url, "--token-stdin", "--name", "local");
      assertThat(login.exit()).as(login.both()).isZero();
      assertThat(login.out()).contains("as admin").contains("'local'");
      assertThat(login.both()).doesNotContain(admin);
      assertThat(Files.getPosixFilePermissions(configFile()))
          .containsExactlyInAnyOrder(
              PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
      assertThat(Files.readString(configFile()))
          .contains(admin)
          .contains("currentContext: \"local\"");
      try (var leftovers = Files.list(configFile().getParent())) {
        assertThat(leftovers.map(p -> p.getFileName().toString())).containsExactly("config.yaml");
      }

      // Listed (compared with Git, not synced: no automated policy).
      await().atMost(PATIENCE).until(() -> tagflow("app", "list").out().contains("OutOfSync"));
      Run list = tagflow("app", "list", "-o", "wide");
      assertThat(list.exit()).as(list.both()).isZero();
      assertThat(list.out()).contains("NAME", "SYNC", "HEALTH", "PROJECT", name, "shop");
      Run json = tagflow("app", "list", "-o", "json");
      assertThat(json.out()).contains("\"name\": \"" + name + "\"");
      Run yaml = tagflow("app", "list", "-o", "yaml", "--sync", "OutOfSync");
      assertThat(yaml.out()).contains("name: " + name);
      Run get = tagflow("app", "get", name);
      assertThat(get.exit()).as(get.both()).isZero();
      assertThat(get.out()).contains("Project:", "shop", "ConfigMap", "settings");

      // Before the sync: two objects missing, so the diff exits 1 and shows no Secret value.
      Run missing = tagflow("app", "diff", name, "-o", "wide");
      assertThat(missing.exit()).as(missing.both()).isEqualTo(1);
      assertThat(missing.out()).contains("ConfigMap/" + ns.name() + "/settings: missing");
      assertThat(missing.out()).doesNotContain("first-secret-value");

      Run sync = tagflow("app", "sync", name, "--prune", "--wait", "--timeout", "3m");
      assertThat(sync.exit()).as(sync.both()).isZero();
      assertThat(sync.out()).contains("sync of " + name + " accepted", "Synced and Healthy");
      assertThat(sync.err()).contains(name + ": ");
      assertThat(value(client, ns.name())).isEqualTo("one");
      Run inSync = tagflow("app", "diff", name);
      assertThat(inSync.exit()).as(inSync.both()).isZero();
      assertThat(inSync.out()).contains("in sync");
      Run waited = tagflow("app", "wait", name, "--health", "--sync", "--timeout", "2m");
      assertThat(waited.exit()).as(waited.both()).isZero();
      Run history = tagflow("app", "history", name);
      assertThat(history.exit()).as(history.both()).isZero();
      assertThat(history.out()).contains("ID", "USER");

      // Someone edits the live ConfigMap: the diff names the field and who changed it.
      client
          .configMaps()
          .inNamespace(ns.name())
          .withName("settings")
          .edit(
              c -> {
                c.getData().put("value", "edited by hand");
                return c;
              });
      await().atMost(PATIENCE).until(() -> tagflow("app", "diff", name).exit() == 1);
      Run drift = tagflow("app", "diff", name);
      assertThat(drift.out()).contains("ConfigMap/" + ns.name() + "/settings: out of sync");
      assertThat(drift.out()).containsPattern("data\\.value \\(changed by [^)]+\\)");
      assertThat(drift.out()).contains("-  value: edited by hand", "+  value: one");
      // Drifted and no self-heal: waiting for Synced runs out of time, with its own exit code.
      Run timeout = tagflow("app", "wait", name, "--sync", "--timeout", "2s");
      assertThat(timeout.exit()).as(timeout.both()).isEqualTo(ExitCode.TIMEOUT);
      assertThat(timeout.err()).contains("timed out after 2s", "OutOfSync");

      // A Secret changed in Git: the diff says which key changed, never a value.
      repo.write("environments/staging/settings.yaml", manifests("one", "second-secret-value"));
      repo.commit("a new password");
      await().atMost(PATIENCE).until(() -> tagflow("app", "diff", name).out().contains("Secret/"));
      Run secret = tagflow("app", "diff", name, "-o", "json");
      assertThat(secret.exit()).isEqualTo(1);
      assertThat(secret.out())
          .doesNotContain("first-secret-value", "second-secret-value")
          .doesNotContain(base64("first-secret-value"), base64("second-secret-value"))
          .contains("+++++++++");

      // Not found, and a name that is not one, each with its code.
      assertThat(tagflow("app", "get", "no-such-app").exit()).isEqualTo(ExitCode.NOT_FOUND);
      Run badName = tagflow("app", "get", "../etc");
      assertThat(badName.exit()).isEqualTo(ExitCode.INVALID_INPUT);
      assertThat(badName.err()).contains("not an application name");

      // A viewer's token from the environment may read but not sync; once revoked, it is refused.
      String viewer = token(server, "vic", "viewer-cli");
      Map<String, String> asViewer = Map.of("TAGFLOW_TOKEN", viewer, "TAGFLOW_SERVER", url);
      assertThat(tagflow(asViewer, null, "app", "list").exit()).isZero();
      Run forbidden = tagflow(asViewer, null, "app", "sync", name);
      assertThat(forbidden.exit()).as(forbidden.both()).isEqualTo(ExitCode.AUTH_FAILED);
      assertThat(forbidden.err()).contains("not allowed", "applications/sync");
      ServerProcess.Result revoke = server.tagflow("token", "revoke", "viewer-cli");
      assertThat(revoke.exit()).as(revoke.err()).isZero();
      Run revoked = tagflow(asViewer, null, "app", "list");
      assertThat(revoked.exit()).as(revoked.both()).isEqualTo(ExitCode.AUTH_FAILED);
      assertThat(revoked.err()).contains("expired or revoked", "tagflow login " + url);
      assertThat(revoked.both()).doesNotContain(viewer);
      // A token as a flag works, with a warning that ps shows it.
      Run flagged = tagflow("app", "list", "--token", admin, "--server", url);
      assertThat(flagged.exit()).isZero();
      assertThat(flagged.err()).contains("visible to other users");
      assertThat(flagged.both()).doesNotContain(admin);

      // A user and password: a session, which the client keeps and logout ends.
      addUser(server, "alice", "a long enough password");
      // A refused POST keeps the server's message (the JDK's HttpURLConnection drops a 401's body
      // in streaming mode, which the client therefore does not use).
      Run badPassword =
          tagflow(
              Map.of(),
              "not her password at all\n",
              "login",
              url,
              "--username",
              "alice",
              "--password-stdin",
              "--name",
              "alice");
      assertThat(badPassword.exit()).as(badPassword.both()).isEqualTo(ExitCode.AUTH_FAILED);
      assertThat(badPassword.err()).contains("refused the credentials").doesNotContain("answered");
      assertThat(badPassword.both()).doesNotContain("not her password at all");
      Run session =
          tagflow(
              Map.of(),
              "a long enough password\n",
              "login",
              url,
              "--username",
              "alice",
              "--password-stdin",
              "--name",
              "alice");
      assertThat(session.exit()).as(session.both()).isZero();
      assertThat(session.both()).doesNotContain("a long enough password");
      assertThat(tagflow("app", "list").out()).contains(name);
      Run contexts = tagflow("context");
      assertThat(contexts.exit()).as(contexts.both()).isZero();
      assertThat(contexts.out()).contains("local", "alice", "session of alice", "token");
      String cookie =
          dev.tagflow.cli.client.ClientConfig.read(configFile())
              .context("alice")
              .orElseThrow()
              .session()
              .orElseThrow()
              .cookie();
      assertThat(contexts.out()).doesNotContain(admin, cookie);
      assertThat(tagflow("context", "use", "nobody").exit()).isEqualTo(ExitCode.INVALID_INPUT);
      assertThat(tagflow("context", "use", "local").exit()).isZero();
      assertThat(Files.readString(configFile())).contains("currentContext: \"local\"");
      assertThat(tagflow("context", "use", "alice").exit()).isZero();
      Run other = tagflow("app", "list", "--context", "local");
      assertThat(other.exit()).as(other.both()).isZero();
      Run logout = tagflow("logout");
      assertThat(logout.exit()).as(logout.both()).isZero();
      assertThat(Files.readString(configFile())).doesNotContain("alice").contains("local");

      // The server goes down: a clear message and its own code.
      server.stop();
      Run down = tagflow("app", "list");
      assertThat(down.exit()).as(down.both()).isEqualTo(ExitCode.UNREACHABLE);
      assertThat(down.err()).contains("cannot reach " + url, "connection refused");
      assertThat(down.both()).doesNotContain(admin, "Exception");
    }
  }

  @Test
  void aServerWhoseCertificateIsNotTrustedAndABrokenConfigurationFileAreClearErrors()
      throws Exception {
    Path cert = certificate("server");
    Path other = certificate("other");
    try (ServerProcess server =
        new ServerProcess(temp.resolve("server"), "push-token-1234567890")) {
      String url =
          server
              .with(
                  "--tls-cert-file",
                  cert.toString(),
                  "--tls-key-file",
                  temp.resolve("server.key").toString())
              .start();
      assertThat(url).startsWith("https://");
      String admin = Files.readString(server.data().resolve("admin-token")).strip();
      Run untrusted = tagflow(Map.of(), admin, "login", url, "--token-stdin");
      assertThat(untrusted.exit()).as(untrusted.both()).isEqualTo(ExitCode.UNREACHABLE);
      assertThat(untrusted.err()).contains("TLS", "--ca-file");
      assertThat(Files.exists(configFile())).isFalse();
      Run wrongCa =
          tagflow(Map.of(), admin, "login", url, "--token-stdin", "--ca-file", other.toString());
      assertThat(wrongCa.exit()).as(wrongCa.both()).isEqualTo(ExitCode.UNREACHABLE);
      assertThat(wrongCa.err()).contains("--ca-file");
      Run notPem =
          tagflow(
              Map.of(),
              admin,
              "login",
              url,
              "--token-stdin",
              "--ca-file",
              temp.resolve("server.key").toString());
      assertThat(notPem.exit()).as(notPem.both()).isEqualTo(ExitCode.INVALID_INPUT);
      Run trusted =
          tagflow(Map.of(), admin, "login", url, "--token-stdin", "--ca-file", cert.toString());
      assertThat(trusted.exit()).as(trusted.both()).isZero();
      // The context keeps its CA file: later verbs trust the server without the flag.
      Run list = tagflow("app", "list");
      assertThat(list.exit()).as(list.both()).isZero();
      assertThat(list.err()).contains("No applications");
      Run wrongAgain = tagflow("app", "list", "--ca-file", other.toString());
      assertThat(wrongAgain.exit()).isEqualTo(ExitCode.UNREACHABLE);

      // A broken configuration file: file:line:column and how to fix it, nothing else done.
      Files.writeString(
          configFile(),
          """
          currentContext: "a"
          contexts:
            - name: "a"
              server: "%s"
              tokn: "%s"
          """
              .formatted(url, admin));
      Run unknownField = tagflow("app", "list");
      assertThat(unknownField.exit()).isEqualTo(ExitCode.INVALID_INPUT);
      assertThat(unknownField.err()).contains(configFile() + ":5:5: unknown field 'tokn'");
      assertThat(unknownField.err()).doesNotContain(admin);
      Files.writeString(configFile(), "contexts: [\n  {name: a\n");
      Run broken = tagflow("app", "list");
      assertThat(broken.exit()).isEqualTo(ExitCode.INVALID_INPUT);
      assertThat(broken.err()).containsPattern(configFile() + ":\\d+:\\d+: not valid YAML");
      Files.writeString(configFile(), "contexts: 3\n");
      assertThat(tagflow("app", "list").err())
          .contains(configFile() + ":1:11: contexts must be a list");
    }
  }

  private static String base64(String text) {
    return java.util.Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String token(ServerProcess server, String owner, String tokenName)
      throws Exception {
    ServerProcess.Result created = server.tagflow("token", "create", tokenName, "--owner", owner);
    assertThat(created.exit()).as(created.err()).isZero();
    return created.out().strip();
  }

  private void addUser(ServerProcess server, String user, String password) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "user", "add", user, "--password-stdin", "--data-dir", server.data().toString()));
    Path out = Files.createTempFile(temp, "user", ".out");
    Path err = Files.createTempFile(temp, "user", ".err");
    ProcessBuilder builder = TagflowProcess.of(command, out, err);
    builder.redirectInput(
        Files.writeString(Files.createTempFile(temp, "user", ".in"), password + "\n").toFile());
    Process process = builder.start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(Files.readString(err)).isZero();
  }

  /** A self-signed certificate for 127.0.0.1 made by the real openssl; its key beside it. */
  private Path certificate(String label) throws Exception {
    Path cert = temp.resolve(label + ".pem");
    Path key = temp.resolve(label + ".key");
    Process openssl =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(openssl.exitValue()).as(output).isZero();
    Files.setPosixFilePermissions(
        key, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    return cert;
  }
}
