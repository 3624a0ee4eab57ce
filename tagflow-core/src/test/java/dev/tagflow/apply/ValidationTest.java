package dev.tagflow.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.cluster.ClusterException;
import dev.tagflow.cluster.ClusterFailure;
import dev.tagflow.cluster.ObjectJson;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.diff.Comparison;
import dev.tagflow.diff.ResourceDiff;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ValidationTest {

  private static final ObjectRef SETTINGS = new ObjectRef("v1", "ConfigMap", "shop", "settings");
  private static final ObjectRef WIDGET =
      new ObjectRef("example.tagflow.dev/v1", "Widget", "shop", "first");

  private final ObjectJson json = new ObjectJson();
  private final Validation validation = new Validation();
  private final ApplyOptions options = ApplyOptions.defaults("shop", "shop");

  @Test
  void anObjectInSyncIsUnchangedAndAChangedOrMissingOneIsSent() {
    assertThat(judge(new ResourceDiff.InSync(SETTINGS), live(), none()))
        .isInstanceOf(Verdict.Unchanged.class);
    assertThat(judge(new ResourceDiff.OutOfSync(SETTINGS, "diff"), live(), none()))
        .isEqualTo(new Verdict.Send(SETTINGS, configMap(), Action.CONFIGURED));
    assertThat(judge(new ResourceDiff.Missing(SETTINGS, "yaml"), Optional.empty(), none()))
        .isEqualTo(new Verdict.Send(SETTINGS, configMap(), Action.CREATED));
  }

  @Test
  void aDryRunTheServerRefusedIsARefusalWithItsFailure() {
    Verdict verdict =
        judge(
            new ResourceDiff.Unknown(SETTINGS, "refused"),
            live(),
            failure(ClusterFailure.INVALID, "data: Invalid value"));

    assertThat(verdict)
        .isInstanceOfSatisfying(
            Verdict.Refused.class,
            refused -> {
              assertThat(refused.entry().action()).isEqualTo(Action.FAILED);
              assertThat(refused.entry().failure()).contains(ClusterFailure.INVALID);
              assertThat(refused.entry().message())
                  .isEqualTo("the server refused it: data: Invalid value");
            });
  }

  @Test
  void aDryRunThatGotNoAnswerIsARefusalSayingItCouldNotBeChecked() {
    Verdict verdict =
        judge(
            new ResourceDiff.Unknown(SETTINGS, "no answer"),
            live(),
            failure(ClusterFailure.UNAVAILABLE, "connection refused"));

    assertThat(((Verdict.Refused) verdict).entry().message())
        .isEqualTo("could not check it: connection refused");
  }

  @Test
  void anImmutableFieldIsRefusedWithoutReplaceAndRecreatedWithIt() {
    ResourceDiff diff = new ResourceDiff.OutOfSync(SETTINGS, "immutable");
    Optional<ClusterException> immutable = failure(ClusterFailure.IMMUTABLE, "field is immutable");

    Verdict without = judge(diff, live(), immutable);
    Verdict with =
        validation.judge(
            configMap(),
            comparison(diff, live(), immutable),
            options.withForce(true),
            Validation.Wave.NOTHING_MORE);

    assertThat(((Verdict.Refused) without).entry().message())
        .contains("field is immutable")
        .contains("Replace=true");
    assertThat(((Verdict.Refused) without).entry().failure()).contains(ClusterFailure.IMMUTABLE);
    assertThat(with).isInstanceOf(Verdict.Replace.class);
  }

  @Test
  void anObjectAskingForReplaceInItsOwnAnnotationIsRecreated() {
    GenericKubernetesResource annotated = configMap();
    annotated
        .getMetadata()
        .setAnnotations(
            java.util.Map.of("argocd.argoproj.io/sync-options", "Validate=false, Replace=true"));

    Verdict verdict =
        validation.judge(
            annotated,
            comparison(
                new ResourceDiff.OutOfSync(SETTINGS, "immutable"),
                live(),
                failure(ClusterFailure.IMMUTABLE, "field is immutable")),
            options,
            Validation.Wave.NOTHING_MORE);

    assertThat(verdict).isInstanceOf(Verdict.Replace.class);
  }

  @Test
  void anObjectWhoseNamespaceTheWaveCreatesIsDeferredAndOtherwiseRefused() {
    Comparison noNamespace =
        comparison(
            new ResourceDiff.Missing(SETTINGS, "yaml"),
            Optional.empty(),
            failure(ClusterFailure.NOT_FOUND, "namespaces \"shop\" not found"));
    Validation.Wave createsShop =
        Validation.Wave.of(
            json.readYaml("apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n"), options);

    Verdict deferred = validation.judge(configMap(), noNamespace, options, createsShop);
    Verdict refused =
        validation.judge(configMap(), noNamespace, options, Validation.Wave.NOTHING_MORE);
    Verdict createNamespace =
        validation.judge(
            configMap(),
            noNamespace,
            options,
            Validation.Wave.of(List.of(), options.withCreateNamespace(true)));

    assertThat(deferred).isInstanceOf(Verdict.Deferred.class);
    assertThat(createNamespace).isInstanceOf(Verdict.Deferred.class);
    assertThat(((Verdict.Refused) refused).entry().message())
        .isEqualTo(
            "its namespace shop does not exist; add the Namespace to Git, or sync with"
                + " CreateNamespace=true");
  }

  @Test
  void aCustomResourceWhoseCrdTheWaveCreatesIsDeferredInItsNamespaceAndOtherwiseRefused() {
    GenericKubernetesResource widget =
        json.readYaml(
                """
                apiVersion: example.tagflow.dev/v1
                kind: Widget
                metadata: {name: first}
                """)
            .get(0);
    Comparison notServed =
        new Comparison(
            new ResourceDiff.Missing(WIDGET.inNamespace(""), "yaml"),
            Optional.empty(),
            Optional.empty(),
            failure(ClusterFailure.GONE_KIND, "not served"));
    Validation.Wave definesWidgets =
        Validation.Wave.of(
            json.readYaml(
                """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: widgets.example.tagflow.dev}
                spec:
                  group: example.tagflow.dev
                  scope: Namespaced
                  names: {kind: Widget, plural: widgets}
                """),
            options);

    // Named in the destination namespace, as the CRD's scope says it will exist.
    assertThat(validation.judge(widget, notServed, options, definesWidgets))
        .isInstanceOfSatisfying(
            Verdict.Deferred.class, d -> assertThat(d.object().namespace()).isEqualTo("shop"));
    assertThat(validation.judge(widget, notServed, options, Validation.Wave.NOTHING_MORE))
        .isInstanceOfSatisfying(
            Verdict.Refused.class,
            r -> assertThat(r.entry().failure()).contains(ClusterFailure.GONE_KIND));
  }

  @Test
  void anObjectAnotherApplicationTracksIsRefusedUnlessTakenOver() {
    GenericKubernetesResource theirs = configMap();
    theirs
        .getMetadata()
        .setAnnotations(
            java.util.Map.of("tagflow.dev/tracking-id", "billing:/ConfigMap:shop/settings"));
    Comparison comparison =
        comparison(new ResourceDiff.OutOfSync(SETTINGS, "diff"), Optional.of(theirs), none());

    Verdict refused =
        validation.judge(configMap(), comparison, options, Validation.Wave.NOTHING_MORE);
    Verdict taken =
        validation.judge(
            configMap(), comparison, options.withTakeOver(true), Validation.Wave.NOTHING_MORE);

    assertThat(((Verdict.Refused) refused).entry().message())
        .startsWith("it belongs to application 'billing'");
    assertThat(taken).isInstanceOf(Verdict.Send.class);
  }

  private Verdict judge(
      ResourceDiff diff,
      Optional<GenericKubernetesResource> live,
      Optional<ClusterException> failure) {
    return validation.judge(
        configMap(), comparison(diff, live, failure), options, Validation.Wave.NOTHING_MORE);
  }

  private Comparison comparison(
      ResourceDiff diff,
      Optional<GenericKubernetesResource> live,
      Optional<ClusterException> failure) {
    return new Comparison(diff, Optional.of(configMap()), live, failure);
  }

  private Optional<GenericKubernetesResource> live() {
    return Optional.of(configMap());
  }

  private static Optional<ClusterException> none() {
    return Optional.empty();
  }

  private static Optional<ClusterException> failure(ClusterFailure failure, String message) {
    return Optional.of(new ClusterException(failure, "could not dry-run apply it", message, null));
  }

  private GenericKubernetesResource configMap() {
    return json.readYaml(
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, namespace: shop}
            data: {colour: blue}
            """)
        .get(0);
  }
}
