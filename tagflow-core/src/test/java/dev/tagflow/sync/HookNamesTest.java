package dev.tagflow.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.TagflowException;
import dev.tagflow.cluster.ObjectJson;
import dev.tagflow.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import org.junit.jupiter.api.Test;

class HookNamesTest {

  private final ObjectJson json = new ObjectJson();

  @Test
  void aHookWithGenerateNameIsKnownByItsPrefixUntilTheServerNamesIt() {
    GenericKubernetesResource hook =
        object(
            """
            apiVersion: batch/v1
            kind: Job
            metadata:
              generateName: db-migrate-
              namespace: shop
              annotations: {argocd.argoproj.io/hook: PreSync}
            """);

    assertThat(HookNames.generatesName(hook)).isTrue();
    assertThat(HookNames.written(hook))
        .isEqualTo(new ObjectRef("batch/v1", "Job", "shop", "db-migrate-"));
    assertThat(HookNames.key(HookNames.written(hook))).isEqualTo("batch/Job/shop/db-migrate-");
  }

  @Test
  void aNamedHookKeepsItsNameEvenWithAGenerateName() {
    GenericKubernetesResource hook =
        object(
            """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: migrate
              generateName: db-migrate-
              annotations: {helm.sh/hook: pre-upgrade}
            """);

    assertThat(HookNames.generatesName(hook)).isFalse();
    assertThat(HookNames.written(hook).name()).isEqualTo("migrate");
  }

  @Test
  void anObjectThatIsNotAHookCannotHaveOnlyAGenerateName() {
    GenericKubernetesResource plain =
        object(
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {generateName: settings-}
            """);

    assertThatThrownBy(() -> HookNames.written(plain))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("ConfigMap with generateName settings-")
        .hasMessageContaining("only hooks")
        .hasMessageContaining("give the object a name");
  }

  @Test
  void thePlanHasAGenerateNameHookInItsPhaseMarkedAsGeneratingItsName() {
    List<GenericKubernetesResource> objects =
        json.readYaml(
            """
            apiVersion: batch/v1
            kind: Job
            metadata:
              generateName: db-migrate-
              namespace: shop
              annotations: {argocd.argoproj.io/hook: PreSync}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, namespace: shop}
            """);

    SyncPlan plan = new SyncPlanner(HookNames::written).plan(objects, List.of(), false);

    assertThat(plan.steps().get(0).label()).isEqualTo("PreSync wave 0");
    assertThat(plan.steps().get(0).tasks())
        .singleElement()
        .satisfies(t -> assertThat(t.generatesName()).isTrue())
        .satisfies(t -> assertThat(t.object().subject()).isEqualTo("Job/shop/db-migrate-"));
    assertThat(plan.steps().get(1).tasks().get(0).generatesName()).isFalse();
  }

  private GenericKubernetesResource object(String yaml) {
    return json.readYaml(yaml).get(0);
  }
}
