package dev.tagflow.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.apply.Action;
import dev.tagflow.apply.ChangeSet;
import dev.tagflow.apply.ChangeSetEntry;
import dev.tagflow.cluster.ClusterFailure;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.diff.FieldDrift;
import dev.tagflow.health.HealthStatus;
import dev.tagflow.reconcile.ApplicationStatus.Automation;
import dev.tagflow.reconcile.ApplicationStatus.BlockedRevision;
import dev.tagflow.reconcile.ApplicationStatus.Condition;
import dev.tagflow.reconcile.ApplicationStatus.Deployed;
import dev.tagflow.reconcile.ApplicationStatus.Disabled;
import dev.tagflow.reconcile.ApplicationStatus.GitRevision;
import dev.tagflow.reconcile.ApplicationStatus.ObjectStatus;
import dev.tagflow.reconcile.ApplicationStatus.ObjectSync;
import dev.tagflow.reconcile.ApplicationStatus.Operation;
import dev.tagflow.reconcile.ApplicationStatus.Severity;
import dev.tagflow.reconcile.ApplicationStatus.Sync;
import dev.tagflow.reconcile.ApplicationStatus.SyncCode;
import dev.tagflow.store.SyncTrigger;
import dev.tagflow.sync.SyncStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusJsonTest {

  private final StatusJson json = new StatusJson();
  private final Instant at = Instant.parse("2030-01-01T10:00:00.123Z");
  private final GitRevision main =
      new GitRevision("main", "0123456789abcdef0123456789abcdef01234567");
  private final ObjectRef web = new ObjectRef("apps/v1", "Deployment", "shop", "web");

  private ApplicationStatus everything() {
    ChangeSet changes =
        new ChangeSet(
            List.of(
                new ChangeSetEntry(web, Action.CONFIGURED, ""),
                new ChangeSetEntry(
                    new ObjectRef("v1", "ConfigMap", "shop", "old"),
                    Action.FAILED,
                    "not pruned",
                    Optional.of(ClusterFailure.UNAVAILABLE))));
    return new ApplicationStatus(
        "web",
        new Sync(SyncCode.OUT_OF_SYNC, Optional.of(main)),
        Optional.of(new Deployed(main, "key|caps", Optional.of(7L), at)),
        HealthStatus.progressing("Deployment shop/web: 1/2 replicas available"),
        Optional.of(
            new Operation(
                7,
                SyncTrigger.SELF_HEAL,
                main,
                SyncStatus.RUNNING,
                "wave 1",
                "wave 1 waits for Deployment shop/web",
                changes,
                at,
                Optional.empty())),
        List.of(new Condition(Severity.WARNING, "Drift", "spec.replicas (by kubectl)", at)),
        List.of(
            new ObjectStatus(
                web,
                ObjectSync.OUT_OF_SYNC,
                Optional.of(HealthStatus.healthy("")),
                "",
                List.of(new FieldDrift("spec.replicas", List.of("kubectl (scale)"))))),
        new Automation(
            true,
            true,
            Optional.of(new Disabled("rolled back to sync #3 by a person", at)),
            List.of(new BlockedRevision(main.commit(), "Degraded after sync #7", at))),
        Optional.of(at));
  }

  @Test
  void aStatusReadsBackAsItWasWritten() {
    ApplicationStatus status = everything();

    assertThat(json.read(json.write(status))).isEqualTo(status);
  }

  @Test
  void aStatusNotComparedYetReadsBackToo() {
    ApplicationStatus status = ApplicationStatus.unknown("web", Automation.of(false, false));

    assertThat(json.read(json.write(status))).isEqualTo(status);
  }

  @Test
  void aChangeSetReadsBackWithItsFailures() {
    ChangeSet changes = everything().operation().orElseThrow().changes();

    assertThat(json.readChangeSet(json.write(changes))).isEqualTo(changes);
  }

  @Test
  void theDocumentNamesItsFieldsForPeopleAndScripts() {
    String text = json.write(everything());

    assertThat(text)
        .contains("\"status\":\"OUT_OF_SYNC\"")
        .contains("\"renderKey\":\"key|caps\"")
        .contains("\"path\":\"spec.replicas\"")
        .contains("\"reason\":\"rolled back to sync #3 by a person\"");
  }
}
