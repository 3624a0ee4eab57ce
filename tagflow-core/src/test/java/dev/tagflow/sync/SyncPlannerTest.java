package dev.tagflow.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.TagflowException;
import dev.tagflow.cluster.ObjectJson;
import dev.tagflow.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyncPlannerTest {

  private final ObjectJson json = new ObjectJson();
  private final SyncPlanner planner = new SyncPlanner(ObjectRef::of);

  @Test
  void ordersByPhaseThenWaveThenKindThenNameWithNamespacesAndCrdsMovedBeforeTheirFirstUser() {
    SyncPlan plan = planner.plan(fixture("shop.yaml"), List.of(), false);

    assertThat(plan.steps())
        .extracting(s -> s.label() + ": " + subjects(s))
        .containsExactly(
            // The PreSync hook runs in namespace shop, so the Namespace comes with it.
            "PreSync wave 0: [Namespace/shop, Job/shop/migrate]",
            "wave -2: [CustomResourceDefinition/queues.shop.example, Queue/shop/orders]",
            "wave -1: [ConfigMap/shop/settings]",
            "wave 0: [Secret/shop/db, Service/shop/web, Deployment/shop/web]",
            "PostSync wave 5: [Job/shop/smoke-test]");
  }

  @Test
  void syncFailHooksRunOnlyWhenTheSyncFails() {
    SyncPlan plan = planner.plan(fixture("shop.yaml"), List.of(), false);

    assertThat(plan.failSteps())
        .singleElement()
        .satisfies(s -> assertThat(subjects(s)).isEqualTo("[Job/shop/alert]"));
  }

  @Test
  void skipsArgoSkipHooksAndHelmTestHooks() {
    SyncPlan plan = planner.plan(fixture("shop.yaml"), List.of(), false);

    assertThat(plan.tasks())
        .extracting(t -> t.object().name())
        .doesNotContain("not-synced", "helm-test");
  }

  @Test
  void readsHookDeletePoliciesOfArgoAndHelm() {
    SyncPlan plan = planner.plan(fixture("shop.yaml"), List.of(), false);

    assertThat(task(plan, "migrate").hook().orElseThrow().deletePolicies())
        .isEqualTo(Set.of(HookDeletePolicy.HOOK_SUCCEEDED));
    assertThat(task(plan, "smoke-test").hook().orElseThrow().deletePolicies())
        .isEqualTo(Set.of(HookDeletePolicy.HOOK_SUCCEEDED, HookDeletePolicy.HOOK_FAILED));
    assertThat(task(plan, "alert").hook().orElseThrow().deletePolicies())
        .isEqualTo(Set.of(HookDeletePolicy.BEFORE_HOOK_CREATION));
  }

  @Test
  void prunesInTheStaleObjectsWaveOrAfterTheLastWaveWithPruneLast() {
    PruneTarget stale = new PruneTarget(new ObjectRef("v1", "ConfigMap", "shop", "old"), -1);

    SyncPlan inWave = planner.plan(fixture("shop.yaml"), List.of(stale), false);
    SyncPlan last = planner.plan(fixture("shop.yaml"), List.of(stale), true);

    assertThat(task(inWave, "old").wave()).isEqualTo(-1);
    assertThat(task(last, "old").wave()).isEqualTo(1);
    assertThat(last.steps().get(last.steps().size() - 2).tasks())
        .singleElement()
        .satisfies(t -> assertThat(t.isPrune()).isTrue());
  }

  @Test
  void aWaveThatIsNotANumberIsAClearError() {
    List<GenericKubernetesResource> objects =
        json.readYaml(
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: a, namespace: shop, annotations: {tagflow.dev/sync-wave: first}}
            """);

    assertThatThrownBy(() -> planner.plan(objects, List.of(), false))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("tagflow.dev/sync-wave of ConfigMap/a must be a whole number");
  }

  private static SyncTask task(SyncPlan plan, String name) {
    return plan.tasks().stream()
        .filter(t -> t.object().name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static String subjects(SyncStep step) {
    return step.tasks().stream().map(t -> t.object().subject()).toList().toString();
  }

  private List<GenericKubernetesResource> fixture(String name) {
    try (InputStream in = getClass().getResourceAsStream("/sync/" + name)) {
      return json.readYaml(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
