package dev.tagflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.app.SourceType.HelmParameter;
import dev.tagflow.app.SyncPolicy.Automated;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArgoApplicationTest {

  private final AppFixtures fixtures = new AppFixtures();

  @Test
  void mapsAnArgoCdApplicationOntoTheSameModel() {
    Application app = fixtures.loadOne("argo/guestbook.yaml");

    assertThat(app.origin().dialect()).isEqualTo(Dialect.ARGO_CD);
    assertThat(app.name()).isEqualTo("guestbook");
    assertThat(app.metadata().namespace()).contains("argocd");
    assertThat(app.metadata().finalizers())
        .containsExactly("resources-finalizer.argocd.argoproj.io");
    assertThat(app.source().path()).isEqualTo("helm-guestbook");
    assertThat(app.destination())
        .isEqualTo(new Destination("https://kubernetes.default.svc", "guestbook"));
    assertThat(app.destination().isServerUrl()).isTrue();
    assertThat(app.syncPolicy().automated()).contains(new Automated(true, true, false));
    assertThat(app.syncPolicy().retry())
        .hasValueSatisfying(r -> assertThat(r.limit()).isEqualTo(5));
    assertThat(app.ignoreDifferences()).hasSize(3);
    assertThat(app.ignoreDifferences().get(1).jqPathExpressions())
        .containsExactly(".data.password");
    assertThat(app.ignoreDifferences().get(2).managedFieldsManagers())
        .containsExactly("kube-controller-manager");
  }

  @Test
  void readsHelmValuesWrittenAsTextAndLetsValuesObjectWin() {
    SourceType.Helm helm =
        (SourceType.Helm) fixtures.loadOne("argo/guestbook.yaml").source().type();

    assertThat(helm.values())
        .isEqualTo(Map.of("ingress", Map.of("enabled", true), "replicaCount", 4L));
    assertThat(helm.valueFiles()).containsExactly("values-production.yaml");
    assertThat(helm.releaseName()).contains("guestbook");
    assertThat(helm.parameters())
        .containsExactly(
            new HelmParameter("service.type", "LoadBalancer", false),
            new HelmParameter("replicaCount", "3", true));
  }

  @Test
  void typesArgoCdSyncOptions() {
    SyncPolicyOptions options = fixtures.loadOne("argo/guestbook.yaml").syncPolicy().options();

    assertThat(options.validate()).isFalse();
    assertThat(options.createNamespace()).isTrue();
    assertThat(options.pruneLast()).isTrue();
    assertThat(options.respectIgnoreDifferences()).isTrue();
    assertThat(options.applyOutOfSyncOnly()).isTrue();
    assertThat(options.prunePropagationPolicy())
        .isEqualTo(SyncPolicyOptions.PropagationPolicy.FOREGROUND);
  }

  @Test
  void readsSourcesOfOneEntryAsTheSourceAndADestinationByClusterName() {
    Application app = fixtures.loadOne("argo/one-of-sources.yaml");

    assertThat(app.source().repoURL())
        .isEqualTo("https://github.com/argoproj/argocd-example-apps.git");
    assertThat(app.source().targetRevision()).isEqualTo("master");
    assertThat(app.source().type()).isEqualTo(new SourceType.Detect());
    assertThat(app.destination()).isEqualTo(new Destination("in-cluster", "kustomize-guestbook"));
    assertThat(app.destination().isServerUrl()).isFalse();
  }

  @Test
  void automatedWithEnabledFalseIsManualAndBareBackoffNumbersAreSeconds() {
    SyncPolicy policy = fixtures.loadOne("argo/one-of-sources.yaml").syncPolicy();

    assertThat(policy.automated()).isEmpty();
    assertThat(policy.retry())
        .hasValueSatisfying(
            r -> {
              assertThat(r.limit()).isEqualTo(-1);
              assertThat(r.backoff().duration()).isEqualTo(Duration.ofSeconds(10));
              assertThat(r.backoff().maxDuration()).isEqualTo(Duration.ofHours(1));
            });
  }

  @Test
  void namesEveryUnsupportedFieldOfAnApplicationInOneProblemWithItsLine() {
    InvalidApplicationException e = fixtures.problemsOf("argo/unsupported.yaml");

    assertThat(e.problems()).hasSize(3);
    assertThat(e.problems().getFirst().toString())
        .isEqualTo(
            "argo/unsupported.yaml:2:1: Argo CD Application 'everything' uses fields Tagflow does"
                + " not support; remove them (or use Tagflow's own format, apiVersion"
                + " tagflow.dev/v1alpha1):\n"
                + "    line 9: spec.sources (it has 2 entries; Tagflow reads exactly one source)\n"
                + "    line 17: spec.info (informational links; put them in"
                + " metadata.annotations)\n"
                + "    line 20: spec.revisionHistoryLimit (Tagflow keeps its own history of"
                + " syncs)\n"
                + "    line 22: spec.syncPolicy.managedNamespaceMetadata (labels and annotations"
                + " for a created namespace; put a Namespace manifest in Git)\n"
                + "    line 26: spec.syncPolicy.retry.refresh (Tagflow always refreshes before a"
                + " retry)");
    assertThat(e.problems().get(1).message())
        .contains("'plugin-app'", "line 36: spec.source.plugin (config management plugins)");
    assertThat(e.problems().get(2).message())
        .contains(
            "'helm-options'",
            "line 51: spec.source.helm.fileParameters",
            "line 53: spec.source.helm.skipCrds");
  }

  @Test
  void fieldsOnlyOurFormatHasAreUnknownInAnArgoCdApplication() {
    String yaml =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: web}
        spec:
          source: {repoURL: https://example.com/r.git}
          destination: {server: https://kubernetes.default.svc}
          dependsOn: [db]
        """;

    assertThat(fixtures.messageFor("a.yaml", yaml))
        .startsWith("a.yaml:7:3: unknown field 'dependsOn' in spec");
  }

  @Test
  void anArgoCdApplicationAndOurOwnForTheSameAppLoadToTheSameModel() {
    Application ours = fixtures.loadOne("good/shop-web.yaml");
    Application argo = fixtures.loadOne("argo/shop-web.yaml");

    assertThat(argo.name()).isEqualTo(ours.name());
    assertThat(argo.project()).isEqualTo(ours.project());
    assertThat(argo.source()).isEqualTo(ours.source());
    assertThat(argo.destination()).isEqualTo(ours.destination());
    assertThat(argo.syncPolicy()).isEqualTo(ours.syncPolicy());
    assertThat(argo.ignoreDifferences()).isEqualTo(ours.ignoreDifferences());
  }

  @Test
  void helmValuesTextThatIsNotYamlIsReportedWithTheLineInTheFile() {
    assertThat(fixtures.problemsOf("errors/argo-values-not-yaml.yaml").getMessage())
        .startsWith(
            "errors/argo-values-not-yaml.yaml:9:15: spec.source.helm.values is not valid YAML")
        .contains("(line 12 of the file)");
  }
}
