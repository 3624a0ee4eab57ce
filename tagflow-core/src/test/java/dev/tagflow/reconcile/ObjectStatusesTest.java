package dev.tagflow.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.diff.FieldDrift;
import dev.tagflow.diff.ResourceDiff;
import dev.tagflow.health.HealthStatus;
import dev.tagflow.reconcile.ApplicationStatus.ObjectSync;
import dev.tagflow.reconcile.ApplicationStatus.SyncCode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ObjectStatusesTest {

  private static final ObjectRef WEB = new ObjectRef("apps/v1", "Deployment", "shop", "web");
  private static final ObjectRef SETTINGS = new ObjectRef("v1", "ConfigMap", "shop", "settings");
  private static final ObjectRef OLD = new ObjectRef("v1", "ConfigMap", "shop", "old");

  private static GenericKubernetesResource trackedBy(String application) {
    GenericKubernetesResource object = new GenericKubernetesResource();
    object.setMetadata(
        new ObjectMetaBuilder()
            .withName("x")
            .addToAnnotations("tagflow.dev/tracking-id", application + ":apps/Deployment:shop/web")
            .build());
    return object;
  }

  @Test
  void everyObjectInSyncIsSyncedWithItsHealth() {
    ObjectStatuses statuses =
        ObjectStatuses.of(
            "web",
            List.of(new ResourceDiff.InSync(WEB)),
            Map.of(WEB, HealthStatus.healthy("2/2 replicas available")),
            ref -> Optional.empty());

    assertThat(statuses.code()).isEqualTo(SyncCode.SYNCED);
    assertThat(statuses.objects().getFirst().health())
        .contains(HealthStatus.healthy("2/2 replicas available"));
  }

  @Test
  void aDriftedObjectListsItsFieldsAndWhoChangedThem() {
    ObjectStatuses statuses =
        ObjectStatuses.of(
            "web",
            List.of(
                new ResourceDiff.OutOfSync(
                    WEB, "diff", List.of(new FieldDrift("spec.replicas", List.of("kubectl")))),
                new ResourceDiff.Missing(SETTINGS, "yaml"),
                new ResourceDiff.InSync(OLD)),
            Map.of(),
            ref -> Optional.of(trackedBy("web")));

    assertThat(statuses.code()).isEqualTo(SyncCode.OUT_OF_SYNC);
    assertThat(statuses.driftSummary())
        .isEqualTo(
            "Deployment/shop/web: spec.replicas (by kubectl);"
                + " ConfigMap/shop/settings: deleted from the cluster");
    assertThat(statuses.shared()).isEmpty();
  }

  @Test
  void anObjectOfAnotherApplicationIsSharedNotDrift() {
    ObjectStatuses statuses =
        ObjectStatuses.of(
            "web",
            List.of(new ResourceDiff.OutOfSync(WEB, "diff")),
            Map.of(),
            ref -> Optional.of(trackedBy("shop")));

    assertThat(statuses.shared()).containsEntry(WEB, "shop");
    assertThat(statuses.hasDrift()).isFalse();
  }

  @Test
  void anObjectGitNoLongerHasIsExtraAndNoDrift() {
    ObjectStatuses statuses =
        ObjectStatuses.of(
            "web", List.of(new ResourceDiff.Extra(OLD)), Map.of(), ref -> Optional.empty());

    assertThat(statuses.code()).isEqualTo(SyncCode.OUT_OF_SYNC);
    assertThat(statuses.objects().getFirst().sync()).isEqualTo(ObjectSync.EXTRA);
    assertThat(statuses.hasDrift()).isFalse();
  }

  @Test
  void anObjectThatCouldNotBeComparedMakesTheApplicationUnknown() {
    ObjectStatuses statuses =
        ObjectStatuses.of(
            "web",
            List.of(
                new ResourceDiff.InSync(WEB),
                new ResourceDiff.Unknown(SETTINGS, "could not read it (unavailable): timeout")),
            Map.of(),
            ref -> Optional.empty());

    assertThat(statuses.code()).isEqualTo(SyncCode.UNKNOWN);
    assertThat(statuses.objects().get(1).message()).contains("timeout");
  }
}
