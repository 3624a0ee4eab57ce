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
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterConnectionsTest {

  @TempDir Path dir;

  @Test
  void aContextTheKubeconfigDoesNotNameIsInvalidInputNamingTheOnesItHas() throws IOException {
    Path kubeconfig =
        Files.writeString(
            dir.resolve("config"),
            """
            apiVersion: v1
            kind: Config
            clusters:
              - {name: staging, cluster: {server: 'https://127.0.0.1:1'}}
            users:
              - {name: admin, user: {token: t}}
            contexts:
              - {name: staging, context: {cluster: staging, user: admin}}
            current-context: staging
            """);

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
}
