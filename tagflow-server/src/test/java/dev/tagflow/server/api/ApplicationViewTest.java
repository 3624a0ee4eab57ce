package dev.tagflow.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.PlainJson;
import dev.tagflow.app.Application;
import dev.tagflow.app.ApplicationLoader;
import dev.tagflow.reconcile.ApplicationStatus;
import dev.tagflow.server.rbac.ApplicationEnvironment;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** An application's environment, RBAC object and JSON shapes. */
class ApplicationViewTest {

  private static Application application(String metadata, String path, String namespace) {
    return new ApplicationLoader()
        .load(
            "web.yaml",
            """
            apiVersion: tagflow.dev/v1alpha1
            kind: Application
            metadata: %s
            spec:
              project: shop
              source: {repoURL: "http://127.0.0.1:7070/git/env.git", targetRevision: main, path: %s}
              destination: {cluster: local, namespace: %s}
            """
                .formatted(metadata, path, namespace))
        .getFirst();
  }

  @Test
  void theEnvironmentIsTheLabelElseTheEnvironmentsFolderElseTheNamespace() {
    Application labelled =
        application(
            "{name: web, labels: {tagflow.dev/environment: staging}}",
            "environments/production",
            "web");
    assertThat(ApplicationEnvironment.objectOf(labelled)).isEqualTo("shop/staging/web");
    Application byPath = application("{name: web}", "deploy/environments/production/web", "web");
    assertThat(ApplicationEnvironment.objectOf(byPath)).isEqualTo("shop/production/web");
    Application byNamespace = application("{name: web}", "manifests", "shop-dev");
    assertThat(ApplicationEnvironment.of(byNamespace)).isEqualTo("shop-dev");
  }

  @Test
  void anApplicationNotComparedYetHasAnUnknownSummaryAndDetail() {
    Application web = application("{name: web}", "environments/dev", "web");
    ApplicationView view =
        new ApplicationView(
            web,
            ApplicationStatus.unknown(
                "web", new ApplicationStatus.Automation(true, false, Optional.empty(), List.of())));
    JsonNode detail = PlainJson.MAPPER.valueToTree(view.detail());
    assertThat(detail.path("name").asText()).isEqualTo("web");
    assertThat(detail.path("environment").asText()).isEqualTo("dev");
    assertThat(detail.path("sync").asText()).isEqualTo("Unknown");
    assertThat(detail.path("health").asText()).isEqualTo("Unknown");
    assertThat(detail.path("healthMessage").asText()).isEqualTo("not compared yet");
    assertThat(detail.path("automation").path("automated").asBoolean()).isTrue();
    assertThat(detail.has("operation")).isFalse();
    assertThat(detail.has("reconciledAt")).isFalse();
    assertThat(PlainJson.MAPPER.valueToTree(view.tree()).path("objects").size()).isZero();
  }
}
