package dev.tagflow.local.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.cluster.ClusterException;
import dev.tagflow.cluster.ClusterFailure;
import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalClusterExtension.class)
class FaultyLinkIT {

  @Test
  void passesTlsToTheApiServerRefusesResetsAndPassesAgainOnTheSamePort(
      LocalCluster local, TestNamespace ns) throws IOException {
    try (FaultyLink link = FaultyLink.to(local.serverUrl());
        KubernetesClient client = local.newClient(link.url(), List.of())) {
      ClusterGateway cluster = ClusterGateway.over("linked", client);
      ObjectRef namespace = new ObjectRef("v1", "Namespace", "", ns.name());
      assertThat(cluster.get(namespace)).isPresent();
      int open = link.openConnections();
      assertThat(open).isPositive();

      link.refuse();

      assertThatThrownBy(() -> connect(link.port())).isInstanceOf(ConnectException.class);
      assertThat(link.openConnections()).isEqualTo(open);

      link.resetOpen();

      assertThat(link.openConnections()).isZero();
      assertThatThrownBy(() -> cluster.get(namespace))
          .isInstanceOfSatisfying(
              ClusterException.class,
              e -> assertThat(e.failure()).isEqualTo(ClusterFailure.UNAVAILABLE));

      link.pass();

      assertThat(link.url()).endsWith(":" + link.port());
      assertThat(cluster.get(namespace)).isPresent();
    }
  }

  private static void connect(int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
    }
  }
}
