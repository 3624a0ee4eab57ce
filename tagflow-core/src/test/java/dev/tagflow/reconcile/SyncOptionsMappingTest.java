package dev.tagflow.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.TagflowException;
import dev.tagflow.app.Application;
import dev.tagflow.app.ApplicationLoader;
import dev.tagflow.diff.IgnoreRule;
import dev.tagflow.diff.JsonPointer;
import dev.tagflow.sync.SyncOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyncOptionsMappingTest {

  private final SyncOptionsMapping mapping = new SyncOptionsMapping();

  @Test
  void aManualApplicationWithoutOptionsSyncsWithTheEngineDefaults() {
    SyncOptions options = mapping.map(app(""), RunOptions.defaults());

    assertThat(options).isEqualTo(SyncOptions.defaults());
  }

  @Test
  void automatedPruneAndTheSyncOptionsMapOneToOne() {
    SyncOptions options =
        mapping.map(
            app(
                """
                  syncPolicy:
                    automated: {prune: true, selfHeal: true}
                    syncOptions: [CreateNamespace=true, PruneLast=true, Replace=true]
                """),
            RunOptions.defaults());

    assertThat(options.prune()).isTrue();
    assertThat(options.createNamespace()).isTrue();
    assertThat(options.pruneLast()).isTrue();
    assertThat(options.replace()).isTrue();
    assertThat(options.takeOver()).isFalse();
  }

  @Test
  void forceRecreatesObjectsWhoseImmutableFieldsChangedAsReplaceDoes() {
    SyncOptions options =
        mapping.map(app("  syncPolicy: {syncOptions: [Force=true]}\n"), RunOptions.defaults());

    assertThat(options.replace()).isTrue();
  }

  @Test
  void theRunAddsPruneDryRunConfirmationAndTimeoutToAManualApplication() {
    SyncOptions options =
        mapping.map(
            app(""),
            RunOptions.defaults()
                .withPrune(true)
                .withDryRun(true)
                .withConfirmPrune(true)
                .withWaitTimeout(Duration.ofSeconds(90)));

    assertThat(options.prune()).isTrue();
    assertThat(options.dryRun()).isTrue();
    assertThat(options.confirmPrune()).isTrue();
    assertThat(options.waitTimeout()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void withoutPruneInThePolicyOrTheRunNothingIsPruned() {
    SyncOptions options =
        mapping.map(
            app("  syncPolicy: {automated: {prune: false, selfHeal: true}}\n"),
            RunOptions.defaults());

    assertThat(options.prune()).isFalse();
  }

  @Test
  void ignoreDifferencesBecomeIgnoreRulesWithPointersManagersAndPlainJqPaths() {
    SyncOptions options =
        mapping.map(
            app(
                """
                  ignoreDifferences:
                    - {group: apps, kind: Deployment, jsonPointers: [/spec/replicas]}
                    - {kind: ConfigMap, name: flags, namespace: web, managedFieldsManagers: [flag-operator]}
                    - {kind: Secret, jqPathExpressions: [.data.password, '.metadata.labels["app.kubernetes.io/name"]', '.spec.ports[0].port']}
                """),
            RunOptions.defaults());

    assertThat(options.ignoreRules())
        .containsExactly(
            new IgnoreRule(
                "apps",
                "Deployment",
                "",
                "",
                List.of(JsonPointer.parse("/spec/replicas")),
                List.of()),
            new IgnoreRule("", "ConfigMap", "web", "flags", List.of(), List.of("flag-operator")),
            new IgnoreRule(
                "",
                "Secret",
                "",
                "",
                List.of(
                    JsonPointer.parse("/data/password"),
                    JsonPointer.parse("/metadata/labels/app.kubernetes.io~1name"),
                    JsonPointer.parse("/spec/ports/0/port")),
                List.of()));
  }

  @Test
  void everythingTheEngineCannotHonourIsRefusedInOneMessageWithTheFileAndLine() {
    Application application =
        app(
            """
              syncPolicy:
                syncOptions: [ServerSideApply=false, Validate=false, RespectIgnoreDifferences=true, PrunePropagationPolicy=orphan]
              ignoreDifferences:
                - {kind: Deployment, jqPathExpressions: ['.spec.template.spec.containers[] | select(.name == "x")']}
            """);

    assertThatThrownBy(() -> mapping.map(application, RunOptions.defaults()))
        .isInstanceOfSatisfying(
            TagflowException.class,
            e -> assertThat(e.reason()).isEqualTo(TagflowException.Reason.INVALID_INPUT))
        .hasMessageStartingWith(
            "web.yaml:1: Application 'web' asks for what Tagflow's sync does not do; change it:")
        .hasMessageContaining("ServerSideApply=false (Tagflow always applies server-side")
        .hasMessageContaining("Validate=false")
        .hasMessageContaining("RespectIgnoreDifferences=true")
        .hasMessageContaining("PrunePropagationPolicy=orphan")
        .hasMessageContaining(
            "ignoreDifferences[0].jqPathExpressions: '.spec.template.spec.containers[] |");
  }

  @Test
  void foregroundAndBackgroundPropagationAreBothAccepted() {
    for (String policy : List.of("foreground", "background")) {
      SyncOptions options =
          mapping.map(
              app("  syncPolicy: {syncOptions: [PrunePropagationPolicy=" + policy + "]}\n"),
              RunOptions.defaults());

      assertThat(options).isEqualTo(SyncOptions.defaults());
    }
  }

  @Test
  void anArgoCdApplicationMapsToTheSameOptionsAsOurs() {
    Application argo =
        new ApplicationLoader()
            .load(
                "argo.yaml",
                """
                    apiVersion: argoproj.io/v1alpha1
                    kind: Application
                    metadata: {name: web, namespace: argocd}
                    spec:
                      project: default
                      source: {repoURL: 'https://git.example/env.git', path: web, targetRevision: main}
                      destination: {name: in-cluster, namespace: web}
                      syncPolicy:
                        automated: {prune: true}
                        syncOptions: [CreateNamespace=true]
                      ignoreDifferences:
                        - {group: apps, kind: Deployment, jsonPointers: [/spec/replicas]}
                    """)
            .getFirst();
    Application ours =
        app(
            """
              syncPolicy:
                automated: {prune: true}
                syncOptions: [CreateNamespace=true]
              ignoreDifferences:
                - {group: apps, kind: Deployment, jsonPointers: [/spec/replicas]}
            """);

    assertThat(mapping.map(argo, RunOptions.defaults()))
        .isEqualTo(mapping.map(ours, RunOptions.defaults()));
  }

  /** Our Application named web, with these lines added under {@code spec:}. */
  private static Application app(String specLines) {
    return new ApplicationLoader()
        .load(
            "web.yaml",
            """
            apiVersion: tagflow.dev/v1alpha1
            kind: Application
            metadata: {name: web}
            spec:
              source: {repoURL: 'https://git.example/env.git', path: web, targetRevision: main}
              destination: {cluster: local, namespace: web}
            """
                + specLines)
        .getFirst();
  }
}
