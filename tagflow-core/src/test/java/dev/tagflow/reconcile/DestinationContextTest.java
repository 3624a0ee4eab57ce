package dev.tagflow.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.TagflowException;
import dev.tagflow.app.Application;
import dev.tagflow.app.ApplicationLoader;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DestinationContextTest {

  private final DestinationContext contexts = new DestinationContext();

  @Test
  void localMeansTheCurrentContext() {
    assertThat(contexts.contextFor(ours("local"))).isEmpty();
  }

  @Test
  void anyOtherClusterNameIsAContextName() {
    assertThat(contexts.contextFor(ours("prod-eu"))).isEqualTo(Optional.of("prod-eu"));
  }

  @Test
  void argoCdsInClusterNameAndServerMeanTheCurrentContext() {
    assertThat(contexts.contextFor(argo("name: in-cluster"))).isEmpty();
    assertThat(contexts.contextFor(argo("server: 'https://kubernetes.default.svc'"))).isEmpty();
  }

  @Test
  void anotherServerUrlAsksForAContextByName() {
    assertThatThrownBy(() -> contexts.contextFor(argo("server: 'https://10.0.0.1:6443'")))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("destination server https://10.0.0.1:6443 of Application 'web'")
        .hasMessageContaining("give --context");
  }

  private static Application ours(String cluster) {
    return new ApplicationLoader()
        .load(
            "web.yaml",
            """
            apiVersion: tagflow.dev/v1alpha1
            kind: Application
            metadata: {name: web}
            spec:
              source: {repoURL: 'https://git.example/env.git'}
              destination: {cluster: %s, namespace: web}
            """
                .formatted(cluster))
        .getFirst();
  }

  private static Application argo(String destination) {
    return new ApplicationLoader()
        .load(
            "argo.yaml",
            """
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: web}
            spec:
              project: default
              source: {repoURL: 'https://git.example/env.git', path: web}
              destination: {%s, namespace: web}
            """
                .formatted(destination))
        .getFirst();
  }
}
