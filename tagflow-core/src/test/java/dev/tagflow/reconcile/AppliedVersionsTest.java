package dev.tagflow.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.app.SyncPolicy.Rollback;
import dev.tagflow.apply.Action;
import dev.tagflow.apply.ChangeSet;
import dev.tagflow.apply.ChangeSetEntry;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.cluster.ObjectVersion;
import dev.tagflow.health.Health;
import dev.tagflow.health.HealthRegistry;
import dev.tagflow.health.HealthStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Health is judged only on live objects at least as new as what a sync wrote: the ordering of the
 * versions an apply returns and a cache delivers, on Deployment and ConfigMap objects as the API
 * server returns them ({@code reconcile/stale-view/}). The race itself, on the real control plane,
 * is {@code StaleLiveViewIT}.
 */
class AppliedVersionsTest {

  private static final ObjectRef WEB = new ObjectRef("apps/v1", "Deployment", "web-dev", "web");
  private static final ObjectRef SETTINGS =
      new ObjectRef("v1", "ConfigMap", "web-dev", "web-settings");

  private final KubernetesSerialization serialization = new KubernetesSerialization();
  private final HealthRegistry health = HealthRegistry.builtIn();

  @Test
  void aDeploymentFromBeforeTheApplyIsProgressingAndTheGateWaitsInsteadOfPassing() {
    GenericKubernetesResource before = load("before-apply.yaml");
    AppliedVersions applied = wrote(WEB, "apply-response.yaml");

    // Its own status says Healthy: what the gate judged when it passed v1.1.0.
    assertThat(health.assess(before).health()).isEqualTo(Health.HEALTHY);
    HealthStatus judged = applied.assess(WEB, before, health);
    assertThat(judged.health()).isEqualTo(Health.PROGRESSING);
    assertThat(judged.message())
        .isEqualTo(
            "Deployment web-dev/web: waiting for the live view to show what the sync wrote: the"
                + " live view shows generation 2, the sync wrote generation 3");

    Rollback policy = new Rollback(true, Duration.ofMinutes(5), false);
    assertThat(
            HealthGate.judge(
                policy,
                HealthGateTest.SYNC,
                judged,
                Optional.empty(),
                HealthGateTest.STARTED.plusSeconds(1)))
        .isInstanceOf(HealthGate.Verdict.Waiting.class);
  }

  @Test
  void theObjectTheApplyReturnedIsJudgedByItsStatusWhichHasNotObservedItsGenerationYet() {
    GenericKubernetesResource response = load("apply-response.yaml");
    AppliedVersions applied = wrote(WEB, "apply-response.yaml");

    assertThat(applied.behind(WEB, response)).isEmpty();
    HealthStatus judged = applied.assess(WEB, response, health);
    assertThat(judged.health()).isEqualTo(Health.PROGRESSING);
    assertThat(judged.message()).contains("waiting for the controller to observe generation 3");
  }

  @Test
  void aLaterVersionIsJudgedByItsOwnStatus() {
    AppliedVersions applied = wrote(WEB, "apply-response.yaml");

    HealthStatus judged = applied.assess(WEB, load("rolling-out.yaml"), health);
    assertThat(judged.health()).isEqualTo(Health.PROGRESSING);
    assertThat(judged.message())
        .isEqualTo("Deployment web-dev/web: 1 old replicas pending termination");
  }

  @Test
  void theObjectFromBeforeARecreateIsOlderAndALaterIncarnationIsNot() {
    AppliedVersions recreated = wrote(WEB, "recreated.yaml");
    assertThat(recreated.behind(WEB, load("before-apply.yaml")))
        .hasValueSatisfying(why -> assertThat(why).contains("from before it was recreated"));

    // Someone recreated it again after the sync: a higher resourceVersion, a lower generation.
    AppliedVersions earlier = wrote(WEB, "before-apply.yaml");
    assertThat(earlier.behind(WEB, load("recreated.yaml"))).isEmpty();
  }

  @Test
  void withoutAGenerationTheResourceVersionOrdersTheViews() {
    AppliedVersions applied = wrote(SETTINGS, "settings-applied.yaml");

    assertThat(applied.behind(SETTINGS, load("settings-before.yaml")))
        .contains("the live view shows resourceVersion 1040, the sync wrote resourceVersion 1186");
    assertThat(applied.behind(SETTINGS, load("settings-applied.yaml"))).isEmpty();
  }

  @Test
  void aResourceVersionThatIsNotANumberCannotBeOrderedAndCountsAsNewEnough() {
    ObjectVersion written = new ObjectVersion("u", Optional.empty(), "b7");
    ObjectVersion seen = new ObjectVersion("u", Optional.empty(), "a9");

    assertThat(seen.olderThan(written)).isEmpty();
  }

  @Test
  void aLaterSyncRaisesTheFloorAndADeletionForgetsTheObject() {
    AppliedVersions first =
        wrote(WEB, "before-apply.yaml").after(changes(SETTINGS, "settings-applied.yaml"));
    AppliedVersions second = first.after(changes(WEB, "apply-response.yaml"));

    assertThat(second.behind(WEB, load("before-apply.yaml"))).isPresent();
    assertThat(second.behind(SETTINGS, load("settings-before.yaml"))).isPresent();

    AppliedVersions pruned =
        second.after(new ChangeSet(List.of(new ChangeSetEntry(WEB, Action.DELETED, ""))));
    assertThat(pruned.objects()).containsOnlyKeys(SETTINGS);
  }

  @Test
  void anObjectNoSyncWroteIsJudgedByItsStatus() {
    assertThat(AppliedVersions.NONE.assess(WEB, load("before-apply.yaml"), health).health())
        .isEqualTo(Health.HEALTHY);
  }

  private AppliedVersions wrote(ObjectRef ref, String response) {
    return AppliedVersions.NONE.after(changes(ref, response));
  }

  private ChangeSet changes(ObjectRef ref, String response) {
    ChangeSetEntry entry =
        new ChangeSetEntry(ref, Action.CONFIGURED, "")
            .withWritten(ObjectVersion.of(load(response)).orElseThrow());
    return new ChangeSet(List.of(entry));
  }

  private GenericKubernetesResource load(String name) {
    String path = "/reconcile/stale-view/" + name;
    try (InputStream in = AppliedVersionsTest.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + path);
      }
      return serialization.unmarshal(in, GenericKubernetesResource.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
