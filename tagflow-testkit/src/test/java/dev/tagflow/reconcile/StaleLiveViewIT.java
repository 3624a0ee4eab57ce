package dev.tagflow.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.app.SyncPolicy.Rollback;
import dev.tagflow.apply.Action;
import dev.tagflow.apply.ApplyOptions;
import dev.tagflow.apply.ChangeSet;
import dev.tagflow.apply.ChangeSetEntry;
import dev.tagflow.apply.ResourceManager;
import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.cluster.ObjectJson;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.health.Health;
import dev.tagflow.health.HealthRegistry;
import dev.tagflow.health.HealthStatus;
import dev.tagflow.reconcile.ApplicationStatus.GitRevision;
import dev.tagflow.reconcile.ApplicationStatus.Operation;
import dev.tagflow.store.SyncTrigger;
import dev.tagflow.sync.SyncStatus;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The health gate's race, made deterministic on the real control plane: a Deployment rolled out
 * Healthy is read (what a watch-fed cache still holds a moment after the next apply), then changed
 * to an image whose Pods never become ready. Judged on that earlier read, as the controller's cache
 * delivered it in the failing TagToProductionIT run, the Deployment reads Healthy and the gate
 * passed the bad revision; judged against the versions the apply returned it is Progressing and the
 * gate waits.
 */
@ExtendWith(LocalClusterExtension.class)
class StaleLiveViewIT {

  private final ObjectJson json = new ObjectJson();
  private final HealthRegistry health = HealthRegistry.builtIn();

  @Test
  void aLiveObjectFromBeforeTheApplyIsProgressingAndTheGateWaits(
      KubernetesClient client, TestNamespace ns) {
    ClusterGateway cluster = ClusterGateway.over("test", client);
    ResourceManager manager = new ResourceManager(cluster, cluster);
    ApplyOptions options = ApplyOptions.defaults("stale", ns.name());
    ObjectRef web = new ObjectRef("apps/v1", "Deployment", ns.name(), "web");

    manager.applyAllStaged(List.of(deployment("web:1.0.0", true)), options);
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> health.assess(cluster.get(web).orElseThrow()).health() == Health.HEALTHY);
    GenericKubernetesResource before = cluster.get(web).orElseThrow();

    ChangeSet changes = manager.applyAllStaged(List.of(deployment("web:1.1.0", false)), options);
    ChangeSetEntry entry = changes.entryFor(web).orElseThrow();
    assertThat(entry.action()).isEqualTo(Action.CONFIGURED);
    assertThat(entry.written()).isPresent();
    assertThat(entry.written().get().generation())
        .hasValueSatisfying(g -> assertThat(g).isGreaterThan(before.getMetadata().getGeneration()));

    // What the gate judged before: the earlier object's own status, Healthy.
    assertThat(health.assess(before).health()).isEqualTo(Health.HEALTHY);

    AppliedVersions applied = AppliedVersions.NONE.after(changes);
    HealthStatus judged = applied.assess(web, before, health);
    assertThat(judged.health()).isEqualTo(Health.PROGRESSING);
    assertThat(judged.message())
        .contains("waiting for the live view to show what the sync wrote")
        .contains("generation " + before.getMetadata().getGeneration());

    Instant started = Instant.now();
    Operation sync =
        new Operation(
            1,
            SyncTrigger.AUTOMATION,
            new GitRevision("v1.1.0", "0123456789abcdef0123456789abcdef01234567"),
            SyncStatus.SUCCEEDED,
            "",
            "",
            changes,
            started,
            Optional.of(started));
    Rollback policy = new Rollback(true, Duration.ofMinutes(5), false);
    assertThat(HealthGate.judge(policy, sync, judged, Optional.empty(), started))
        .isInstanceOf(HealthGate.Verdict.Waiting.class);

    // The object as the API server has it now is new enough: judged by its own status, and its
    // Pods never become ready, so it never reads Healthy.
    GenericKubernetesResource now = cluster.get(web).orElseThrow();
    assertThat(applied.behind(web, now)).isEmpty();
    assertThat(applied.assess(web, now, health).health()).isNotEqualTo(Health.HEALTHY);
  }

  private GenericKubernetesResource deployment(String image, boolean ready) {
    return json.readYaml(HealthRollbackIT.deployment(image, ready)).getFirst();
  }
}
