package dev.tagflow.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.apply.Action;
import dev.tagflow.apply.ChangeSet;
import dev.tagflow.apply.ChangeSetEntry;
import dev.tagflow.cluster.ClusterException;
import dev.tagflow.cluster.ClusterFailure;
import dev.tagflow.cluster.ObjectJson;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.diff.Tracking;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PrunePlannerTest {

  private final ObjectJson json = new ObjectJson();
  private final Map<ObjectRef, GenericKubernetesResource> cluster = new HashMap<>();
  private final PrunePlanner planner =
      new PrunePlanner(ref -> Optional.ofNullable(cluster.get(ref)));

  @Test
  void deletesWhatTheOldInventoryHasAndGitNoLongerHas() {
    Inventory old = owned("a", "b", "c", "d");

    PrunePlan plan = planner.plan(old, refs("a", "b", "c"), PruneOptions.enabled());

    assertThat(plan).isEqualTo(new PrunePlan.Ready(refs("d"), List.of(), List.of(), List.of()));
  }

  @Test
  void keepsAnObjectAnnotatedPruneFalse() {
    Inventory old = owned("a", "b", "c");
    cluster.get(ref("c")).getMetadata().getAnnotations().put("tagflow.dev/prune", "false");

    PrunePlan plan = planner.plan(old, refs("a", "b"), PruneOptions.enabled());

    assertThat(plan)
        .isInstanceOfSatisfying(
            PrunePlan.Ready.class,
            ready -> {
              assertThat(ready.delete()).isEmpty();
              assertThat(ready.kept())
                  .singleElement()
                  .satisfies(e -> assertThat(e.message()).contains("tagflow.dev/prune"));
            });
  }

  @Test
  void keepsStaleObjectsWhenPruneIsOff() {
    PrunePlan plan = planner.plan(owned("a", "b"), refs("a"), PruneOptions.disabled());

    assertThat(((PrunePlan.Ready) plan).kept())
        .extracting(ChangeSetEntry::action)
        .containsExactly(Action.SKIPPED);
  }

  @Test
  void leavesAloneAnObjectThatNoLongerCarriesItsTrackingId() {
    Inventory old = owned("a", "b");
    cluster.get(ref("b")).getMetadata().getAnnotations().remove(Tracking.TRACKING_ID);

    PrunePlan plan = planner.plan(old, refs("a"), PruneOptions.enabled());

    assertThat(((PrunePlan.Ready) plan).delete()).isEmpty();
  }

  @Test
  void theCircuitBreakerStopsADeletionOfMoreThanHalfTheObjects() {
    Inventory old = owned("a", "b", "c", "d", "e");

    PrunePlan plan = planner.plan(old, refs("a", "b"), PruneOptions.enabled());
    PrunePlan confirmed =
        planner.plan(old, refs("a", "b"), PruneOptions.enabled().withConfirmed(true));

    assertThat(plan)
        .isInstanceOfSatisfying(
            PrunePlan.NeedsConfirmation.class,
            stop -> assertThat(stop.message()).contains("delete 3 of the application's 5 objects"));
    assertThat(((PrunePlan.Ready) confirmed).delete()).hasSize(3);
  }

  @Test
  void objectsAlreadyGoneLeaveTheInventory() {
    Inventory old = owned("a", "b");
    cluster.remove(ref("b"));

    PrunePlan plan = planner.plan(old, refs("a"), PruneOptions.enabled());

    assertThat(((PrunePlan.Ready) plan).gone()).containsExactly(ref("b"));
    assertThat(
            PrunePlanner.nextInventory(old, refs("a"), refs("a"), plan, ChangeSet.empty())
                .objects())
        .containsExactly(ref("a"));
  }

  @Test
  void aFailedDeletionStaysInTheInventoryToBeRetried() {
    Inventory old = owned("a", "b");
    PrunePlan plan = planner.plan(old, refs("a"), PruneOptions.enabled());
    ChangeSet deletions =
        new ChangeSet(List.of(new ChangeSetEntry(ref("b"), Action.FAILED, "forbidden")));

    Inventory next = PrunePlanner.nextInventory(old, refs("a"), refs("a"), plan, deletions);

    assertThat(next.objects()).containsExactly(ref("a"), ref("b"));
  }

  @Test
  void anObjectGitStillHasStaysInTheInventoryWhenItsApplyFailed() {
    Inventory old = owned("a", "b");
    PrunePlan plan = planner.plan(old, refs("a", "b"), PruneOptions.enabled());

    Inventory next =
        PrunePlanner.nextInventory(old, refs("a", "b"), refs("a"), plan, ChangeSet.empty());

    assertThat(next.objects()).containsExactly(ref("a"), ref("b"));
  }

  @Test
  void aStaleObjectThatCannotBeReadIsNeitherDeletedNorDroppedFromTheInventory() {
    Inventory old = owned("a", "b", "c");
    PrunePlanner failing =
        new PrunePlanner(
            ref -> {
              if (ref.name().equals("b")) {
                throw unavailable(ref);
              }
              return Optional.ofNullable(cluster.get(ref));
            });

    PrunePlan plan = failing.plan(old, refs("a"), PruneOptions.enabled().withConfirmed(true));

    PrunePlan.Ready ready = (PrunePlan.Ready) plan;
    assertThat(ready.delete()).containsExactly(ref("c"));
    assertThat(ready.gone()).isEmpty();
    assertThat(ready.unreadable())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.object()).isEqualTo(ref("b"));
              assertThat(e.action()).isEqualTo(Action.FAILED);
              assertThat(e.failure()).contains(ClusterFailure.UNAVAILABLE);
              assertThat(e.message()).contains("connection refused");
            });
    assertThat(
            PrunePlanner.nextInventory(old, refs("a"), refs("a"), plan, ChangeSet.empty())
                .objects())
        .containsExactly(ref("a"), ref("b"), ref("c"));
  }

  @Test
  void anObjectWhoseKindDiscoveryConfirmsIsNoLongerServedIsGone() {
    Inventory old = owned("a", "b");
    PrunePlanner planner =
        new PrunePlanner(
            ref -> {
              if (ref.name().equals("b")) {
                throw new ClusterException(
                    ClusterFailure.GONE_KIND, "the cluster does not serve it", "", null);
              }
              return Optional.ofNullable(cluster.get(ref));
            });

    PrunePlan plan = planner.plan(old, refs("a"), PruneOptions.enabled());

    assertThat(((PrunePlan.Ready) plan).gone()).containsExactly(ref("b"));
    assertThat(((PrunePlan.Ready) plan).unreadable()).isEmpty();
  }

  @Test
  void withPruneOffAStaleObjectThatCannotBeReadIsKeptWithoutFailingAnything() {
    Inventory old = owned("a", "b");
    PrunePlanner failing =
        new PrunePlanner(
            ref -> {
              throw unavailable(ref);
            });

    PrunePlan.Ready plan = (PrunePlan.Ready) failing.plan(old, refs("a"), PruneOptions.disabled());

    assertThat(plan.unreadable()).isEmpty();
    assertThat(plan.kept())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.action()).isEqualTo(Action.SKIPPED);
              assertThat(e.message()).contains("prune is off").contains("connection refused");
            });
  }

  private static ClusterException unavailable(ObjectRef ref) {
    return new ClusterException(
        ClusterFailure.UNAVAILABLE,
        "could not read " + ref.subject(),
        "the API server could not be reached: connection refused",
        null);
  }

  private Inventory owned(String... names) {
    for (String name : names) {
      GenericKubernetesResource object =
          json.readYaml(
                  """
                  apiVersion: v1
                  kind: ConfigMap
                  metadata: {name: %s, namespace: shop, annotations: {}}
                  """
                      .formatted(name))
              .get(0);
      object.getMetadata().setAnnotations(new HashMap<>());
      Tracking.stamp(object, "web");
      cluster.put(ref(name), object);
    }
    return Inventory.of("web", refs(names));
  }

  private static List<ObjectRef> refs(String... names) {
    return java.util.Arrays.stream(names).map(PrunePlannerTest::ref).toList();
  }

  private static ObjectRef ref(String name) {
    return new ObjectRef("v1", "ConfigMap", "shop", name);
  }
}
