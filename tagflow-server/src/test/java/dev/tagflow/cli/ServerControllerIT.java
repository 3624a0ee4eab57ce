package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tagflow server} as a real process: it syncs an application of {@code --apps DIR} by
 * itself, follows a commit it polls, and stops on SIGTERM after its running work; with {@code
 * --config} it follows a folder of Application files in Git.
 */
@ExtendWith(LocalClusterExtension.class)
class ServerControllerIT {

  @TempDir Path temp;

  private final String name = "served-" + UUID.randomUUID().toString().substring(0, 8);
  private Process server;

  @AfterEach
  void stop() {
    if (server != null && server.isAlive()) {
      server.destroyForcibly();
    }
  }

  private static String configMap(String value) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        data: {value: "%s"}
        """
        .formatted(value);
  }

  private String value(KubernetesClient client, String namespace) {
    ConfigMap settings = client.configMaps().inNamespace(namespace).withName("settings").get();
    return settings == null ? null : settings.getData().get("value");
  }

  @Test
  void theServerAloneSyncsAnApplicationOfItsDirectoryFollowsGitAndStopsOnSigterm(
      LocalCluster cluster, KubernetesClient client, TestNamespace ns) throws Exception {
    GitWorkTree repo = GitWorkTree.init(temp.resolve("env"));
    repo.write("environments/dev/settings.yaml", configMap("one"));
    repo.commit("settings one");
    Path apps = Files.createDirectories(temp.resolve("apps"));
    Files.writeString(
        apps.resolve(name + ".yaml"),
        """
        apiVersion: tagflow.dev/v1alpha1
        kind: Application
        metadata: {name: %s}
        spec:
          source: {repoURL: "%s", targetRevision: main, path: environments/dev}
          destination: {cluster: local, namespace: %s}
          syncPolicy: {automated: {prune: true, selfHeal: true}}
        """
            .formatted(name, repo.url(), ns.name()));
    Path data = temp.resolve("data");
    Path out = temp.resolve("server.out");
    Path err = temp.resolve("server.err");

    server =
        java(
                List.of(
                    "server",
                    "--data-dir",
                    data.toString(),
                    "--port",
                    "0",
                    "--apps",
                    apps.toString(),
                    "--kubeconfig",
                    cluster.kubeconfig().toString(),
                    "--poll-interval",
                    "1s"),
                out,
                err)
            .start();

    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> "one".equals(value(client, ns.name())) || !server.isAlive());
    assertThat(server.isAlive()).as(Files.readString(err)).isTrue();
    repo.write("environments/dev/settings.yaml", configMap("two"));
    repo.commit("settings two");
    await().atMost(Duration.ofSeconds(60)).until(() -> "two".equals(value(client, ns.name())));

    server.destroy();
    boolean exited = server.waitFor(60, TimeUnit.SECONDS);

    String log = Files.readString(err) + Files.readString(out);
    assertThat(exited).as(log).isTrue();
    assertThat(log)
        .contains("application=" + name)
        .contains("event=SyncSucceeded")
        .contains("reconciler stopped")
        .contains("Tagflow server stopped");
    assertThat(data.resolve("tagflow.db")).exists();
  }

  @Test
  void theServerFollowsTheFoldersOfApplicationFilesOfItsSettings(
      LocalCluster cluster, KubernetesClient client, TestNamespace ns) throws Exception {
    GitWorkTree repo = GitWorkTree.init(temp.resolve("env"));
    repo.write("m/web/settings.yaml", configMap("web"));
    repo.write("m/more/settings.yaml", configMap("more").replace("name: settings", "name: more"));
    repo.write("apps/web.yaml", application(name, "m/web", repo, ns));
    repo.commit("web");
    Path config = temp.resolve("tagflow.yaml");
    Files.writeString(
        config,
        """
        clusters:
          - {name: local, kubeconfig: "%s"}
        repositories:
          - {name: env, url: "%s", pollInterval: 1s}
        applications:
          - {repository: env, revision: main, path: apps}
        """
            .formatted(cluster.kubeconfig(), repo.url()));
    Path out = temp.resolve("server.out");
    Path err = temp.resolve("server.err");
    server =
        java(
                List.of(
                    "server",
                    "--config",
                    config.toString(),
                    "--data-dir",
                    temp.resolve("data").toString(),
                    "--port",
                    "0"),
                out,
                err)
            .start();

    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> "web".equals(value(client, ns.name())) || !server.isAlive());
    assertThat(server.isAlive()).as(Files.readString(err)).isTrue();

    repo.write("apps/team/more.yaml", application("example.more-" + name, "m/more", repo, ns));
    repo.commit("more");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> client.configMaps().inNamespace(ns.name()).withName("more").get() != null);

    repo.remove("apps/team/more.yaml");
    repo.commit("no more");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> client.configMaps().inNamespace(ns.name()).withName("more").get() == null);
    assertThat(value(client, ns.name())).isEqualTo("web");

    server.destroy();
    assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readString(err) + Files.readString(out))
        .contains("source=git:env/apps@main")
        .contains("application=example.more-" + name + " removed; its objects will be deleted");
  }

  private static String application(String name, String path, GitWorkTree repo, TestNamespace ns) {
    return """
        apiVersion: tagflow.dev/v1alpha1
        kind: Application
        metadata: {name: %s}
        spec:
          source: {repoURL: "%s", targetRevision: main, path: %s}
          destination: {cluster: local, namespace: %s}
          syncPolicy: {automated: {prune: true}}
        """
        .formatted(name, repo.url(), path, ns.name());
  }

  /** The command line of {@code tagflow}, on this test's class path, with the product's logging. */
  private static ProcessBuilder java(List<String> args, Path out, Path err) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx384m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Dlogback.configurationFile=logback.xml");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("TAGFLOW_LOG_LEVEL");
    return builder.redirectOutput(out.toFile()).redirectError(err.toFile());
  }
}
