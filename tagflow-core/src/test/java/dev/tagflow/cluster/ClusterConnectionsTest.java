package dev.tagflow.cluster;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.TagflowException;
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
}
