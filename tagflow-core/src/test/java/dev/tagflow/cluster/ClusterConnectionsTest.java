package dev.tagflow.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.TagflowException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterConnectionsTest {

  /** One context, staging, whose user has the token given to {@code formatted}. */
  private static final String STAGING =
      """
      apiVersion: v1
      kind: Config
      clusters:
        - {name: staging, cluster: {server: 'https://127.0.0.1:1'}}
      users:
        - {name: admin, user: {token: %s}}
      contexts:
        - {name: staging, context: {cluster: staging, user: admin}}
      current-context: staging
      """;

  @TempDir Path dir;

  @Test
  void aContextTheKubeconfigDoesNotNameIsInvalidInputNamingTheOnesItHas() throws IOException {
    Path kubeconfig = Files.writeString(dir.resolve("config"), STAGING.formatted("t"));

    try (ClusterConnections connections = new ClusterConnections(kubeconfig)) {
      assertThatThrownBy(() -> connections.connect(Optional.of("prod-eu")))
          .isInstanceOf(TagflowException.class)
          .hasMessage(
              "the kubeconfig "
                  + kubeconfig
                  + " has no context 'prod-eu' (it has: staging); add it with kubectl config"
                  + " set-context, or name one of these");
    }
  }

  @Test
  void theServerOfAContextIsReadFromTheFileWithoutConnecting() throws IOException {
    Path kubeconfig =
        Files.writeString(
            dir.resolve("config"),
            """
            apiVersion: v1
            kind: Config
            clusters:
              - {name: staging, cluster: {server: 'https://staging.example.com:6443'}}
              - {name: prod, cluster: {server: 'https://prod.example.com:6443'}}
            users:
              - {name: admin, user: {token: t}}
            contexts:
              - {name: staging, context: {cluster: staging, user: admin}}
              - {name: prod-admin, context: {cluster: prod, user: admin}}
            current-context: staging
            """);

    try (ClusterConnections connections = new ClusterConnections(kubeconfig)) {
      assertThat(connections.serverOf(Optional.empty()))
          .contains("https://staging.example.com:6443");
      assertThat(connections.serverOf(Optional.of("prod-admin")))
          .contains("https://prod.example.com:6443");
      assertThat(connections.serverOf(Optional.of("nowhere"))).isEmpty();
    }
    try (ClusterConnections missing = new ClusterConnections(dir.resolve("absent"))) {
      assertThat(missing.serverOf(Optional.empty())).isEmpty();
    }
  }

  @Test
  void aConnectionParsesAWatchedObjectAsAGenericOneWithoutLoadingFabric8sModelClasses() {
    KubernetesSerialization serialization = ClusterConnections.untypedSerialization();

    WatchEvent event =
        serialization.unmarshal(
            """
            {"type": "MODIFIED", "object": {"apiVersion": "apps/v1", "kind": "Deployment",
              "metadata": {"name": "web", "namespace": "shop", "resourceVersion": "42"},
              "spec": {"replicas": 3}}}
            """,
            WatchEvent.class);

    assertThat(event.getObject())
        .isInstanceOfSatisfying(
            GenericKubernetesResource.class,
            deployment -> {
              assertThat(deployment.getMetadata().getResourceVersion()).isEqualTo("42");
              assertThat((Object) deployment.get("spec", "replicas")).isEqualTo(3);
            });
    // fabric8's default registry would name its Deployment class here, having loaded them all.
    assertThat(serialization.getRegisteredKubernetesResource("apps/v1", "Deployment")).isNull();
  }

  @Test
  void aRelativePathInTheKubeconfigResolvesAgainstItsFolderForAnyContext() throws IOException {
    Path kubeconfig =
        Files.writeString(
            Files.createDirectories(dir.resolve("kube")).resolve("config"),
            """
            apiVersion: v1
            kind: Config
            clusters:
              - {name: staging, cluster: {server: 'https://127.0.0.1:1', certificate-authority: ca.crt}}
              - {name: prod, cluster: {server: 'https://127.0.0.1:2', certificate-authority: certs/prod.crt}}
            users:
              - {name: admin, user: {token: t}}
            contexts:
              - {name: staging, context: {cluster: staging, user: admin}}
              - {name: prod, context: {cluster: prod, user: admin, namespace: shop}}
            current-context: staging
            """);
    String text = Files.readString(kubeconfig);

    try (ClusterConnections connections = new ClusterConnections(kubeconfig)) {
      var current = connections.configOf("", text);
      var prod = connections.configOf("prod", text);

      assertThat(current.getMasterUrl()).startsWith("https://127.0.0.1:1");
      assertThat(current.getCaCertFile())
          .isEqualTo(dir.resolve("kube/ca.crt").toAbsolutePath().toString());
      assertThat(prod.getMasterUrl()).startsWith("https://127.0.0.1:2");
      assertThat(prod.getCaCertFile())
          .isEqualTo(dir.resolve("kube/certs/prod.crt").toAbsolutePath().toString());
      assertThat(prod.getNamespace()).isEqualTo("shop");
    }
  }

  @Test
  void aRefreshReadsTheFileAgainForTheSameContextAsFabric8Would() throws IOException {
    String twoClusters =
        """
        apiVersion: v1
        kind: Config
        clusters:
          - {name: staging, cluster: {server: '%s'}}
          - {name: prod, cluster: {server: 'https://127.0.0.1:9'}}
        users:
          - {name: admin, user: {username: u, password: p}}
        contexts:
          - {name: staging, context: {cluster: staging, user: admin}}
          - {name: prod, context: {cluster: prod, user: admin}}
        current-context: %s
        """;
    Path kubeconfig =
        Files.writeString(
            dir.resolve("config"), twoClusters.formatted("https://127.0.0.1:1", "staging"));

    try (ClusterConnections connections = new ClusterConnections(kubeconfig)) {
      var config = connections.configOf("", Files.readString(kubeconfig));
      // The cluster moved, and the file's current context changed: the refresh follows the first,
      // and stays with the context it was made for (fabric8's Config.refresh does the same).
      Files.writeString(kubeconfig, twoClusters.formatted("https://127.0.0.1:2", "prod"));
      var refreshed = config.refresh();

      assertThat(refreshed).isInstanceOf(KubeconfigConfig.class).isNotSameAs(config);
      // Read again with the serialization of the first reading, not a new one learning the model.
      assertThat(((KubeconfigConfig) refreshed).serialization())
          .isSameAs(((KubeconfigConfig) config).serialization());
      assertThat(refreshed.getMasterUrl()).startsWith("https://127.0.0.1:2");
      assertThat(refreshed.getCurrentContext().getName()).isEqualTo("staging");

      Files.writeString(kubeconfig, "not: [a kubeconfig");
      assertThat(refreshed.refresh()).isSameAs(refreshed); // keeps what it has
    }
  }

  @Test
  void aRefreshTakesATokenTheKubeconfigWasRewrittenWith() throws IOException {
    Path kubeconfig = Files.writeString(dir.resolve("config"), STAGING.formatted("old"));

    try (ClusterConnections connections = new ClusterConnections(kubeconfig)) {
      var config = connections.configOf("staging", Files.readString(kubeconfig));
      Files.writeString(kubeconfig, STAGING.formatted("rotated"));

      assertThat(config.getAutoOAuthToken()).isEqualTo("old");
      assertThat(config.refresh().getAutoOAuthToken()).isEqualTo("rotated");
    }
  }

  @Test
  void anEmptyKubeconfigIsInvalidInputNamingTheFile() throws IOException {
    Path kubeconfig = Files.writeString(dir.resolve("config"), "");

    try (ClusterConnections connections = new ClusterConnections(kubeconfig)) {
      assertThatThrownBy(() -> connections.connect(Optional.empty()))
          .isInstanceOf(TagflowException.class)
          .hasMessage("cannot use the current context of " + kubeconfig + ": the file is empty");
    }
  }

  /**
   * fabric8's kind registry loads the model classes of every kind its modules know, Gateway API and
   * {@code resource.k8s.io} among them, which nothing else in Tagflow loads. Seen in a JVM of its
   * own: once any test of this JVM built the registry, it stays.
   */
  @Test
  void openingAConnectionBuildsNoKindRegistry() throws Exception {
    Path kubeconfig = Files.writeString(dir.resolve("config"), STAGING.formatted("t"));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xlog:class+load=info:stdout",
            "-cp",
            System.getProperty("java.class.path"),
            OpenBothContextWays.class.getName(),
            kubeconfig.toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> lines = process.inputReader().lines().toList();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(process.exitValue()).as(String.join("\n", lines)).isZero();
    assertThat(lines).contains("opened staging twice");
    assertThat(lines).anyMatch(line -> line.contains(" io.fabric8.kubernetes.client.Config "));
    assertThat(lines)
        .noneMatch(line -> line.contains(" io.fabric8.kubernetes.api.model.gatewayapi."))
        .noneMatch(line -> line.contains(" io.fabric8.kubernetes.api.model.resource."));
  }

  /**
   * The other JVM of the test above: opens the current context and the same one by name, and
   * refreshes a configuration as fabric8's token refresh does.
   */
  static final class OpenBothContextWays {
    public static void main(String[] args) throws IOException {
      try (ClusterConnections connections = new ClusterConnections(Path.of(args[0]))) {
        connections.connect(Optional.empty());
        connections.connect(Optional.of("staging"));
        connections.serverOf(Optional.empty());
        // fabric8 refreshes a connection's credentials once a minute, reading the file again.
        connections.configOf("", Files.readString(Path.of(args[0]))).refresh();
      }
      System.out.println("opened staging twice");
    }
  }
}
