package dev.tagflow.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.app.Application;
import dev.tagflow.cluster.ObjectJson;
import dev.tagflow.health.Health;
import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.reconcile.ApplicationStatus.SyncCode;
import dev.tagflow.store.Event;
import dev.tagflow.store.SyncResult;
import dev.tagflow.store.SyncTrigger;
import dev.tagflow.sync.SyncState;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A new Reconciler on the same store knows what the last one knew, and syncs nothing again. */
@ExtendWith(LocalClusterExtension.class)
class RestartIT {

  @TempDir Path root;

  private final String name = "restart-" + UUID.randomUUID().toString().substring(0, 8);

  @Test
  void statusHistoryAndEventsSurviveARestartOnTheSameStore(LocalCluster cluster, TestNamespace ns) {
    GitWorkTree repo = GitWorkTree.init(root.resolve("env"));
    repo.write("app/settings.yaml", AutomatedSyncIT.configMap("settings", "one"));
    repo.commit("settings");
    String commit = repo.git("rev-parse", "HEAD").strip();
    Application application =
        Controller.application(
            """
            apiVersion: tagflow.dev/v1alpha1
            kind: Application
            metadata: {name: %s}
            spec:
              source: {repoURL: "%s", targetRevision: main, path: app}
              destination: {cluster: local, namespace: %s}
              syncPolicy: {automated: {prune: true}}
            """
                .formatted(name, repo.url(), ns.name()));
    Path data = root.resolve("data");
    ApplicationStatus before;
    try (Controller first = new Controller(cluster, data, Controller.options()).start()) {
      first.run(application);
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                ApplicationStatus status = first.status(name);
                assertThat(status.sync().status()).isEqualTo(SyncCode.SYNCED);
                assertThat(status.health().health()).isEqualTo(Health.HEALTHY);
              });
      before = first.status(name);
    }
    Instant restarted = Instant.now();

    try (Controller second = new Controller(cluster, data, Controller.options())) {
      second.run(application);
      second.start();
      ApplicationStatus atStart = second.status(name);
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(second.status(name).reconciledAt().orElseThrow()).isAfter(restarted));

      assertThat(atStart.deployed()).isEqualTo(before.deployed());
      assertThat(atStart.operation()).isEqualTo(before.operation());
      ApplicationStatus after = second.status(name);
      assertThat(after.sync().status()).isEqualTo(SyncCode.SYNCED);
      assertThat(after.deployed().orElseThrow().revision().commit()).isEqualTo(commit);
      assertThat(second.statuses().history(name)).hasSize(1);
      assertThat(second.statuses().events(name, 50))
          .extracting(Event::reason)
          .contains("SyncStarted", "SyncSucceeded");
    }
  }

  @Test
  void aSyncInterruptedByAStopIsMarkedFailedAfterTheRestartAndDecidedAgain(
      LocalCluster cluster, TestNamespace ns) {
    GitWorkTree repo = GitWorkTree.init(root.resolve("env"));
    repo.write("app/settings.yaml", AutomatedSyncIT.configMap("settings", "one"));
    repo.commit("settings");
    String commit = repo.git("rev-parse", "HEAD").strip();
    Application application =
        Controller.application(
            """
            apiVersion: tagflow.dev/v1alpha1
            kind: Application
            metadata: {name: %s}
            spec:
              source: {repoURL: "%s", targetRevision: main, path: app}
              destination: {cluster: local, namespace: %s}
              syncPolicy: {automated: {prune: true}}
            """
                .formatted(name, repo.url(), ns.name()));
    Path data = root.resolve("data");
    ApplicationStatus.GitRevision revision = new ApplicationStatus.GitRevision("main", commit);
    // What a process killed in the middle of its first sync leaves: a running entry and its
    // checkpoint, nothing applied.
    try (Controller before = new Controller(cluster, data, Controller.options())) {
      SyncRecords records = new SyncRecords(before.store);
      var entry =
          records.started(
              name,
              revision,
              Optional.empty(),
              List.of(),
              SyncTrigger.AUTOMATION,
              Instant.now().truncatedTo(ChronoUnit.MILLIS));
      new OperationCheckpoints(before.store.operations(), Optional.empty())
          .save(
              name,
              new OperationCheckpoints.Checkpoint(
                  entry.id(),
                  SyncTrigger.AUTOMATION,
                  revision,
                  "key",
                  Optional.empty(),
                  Optional.empty()));
    }

    try (Controller after = new Controller(cluster, data, Controller.options())) {
      after.run(application);
      after.start();
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(after.status(name).sync().status()).isEqualTo(SyncCode.SYNCED);
                assertThat(after.statuses().history(name)).hasSize(2);
              });

      var history = after.statuses().history(name);
      assertThat(history.get(1).sync().result()).isEqualTo(SyncResult.FAILED);
      assertThat(history.get(1).sync().message()).contains("interrupted");
      assertThat(history.get(0).sync().result()).isEqualTo(SyncResult.SUCCEEDED);
      assertThat(after.statuses().events(name, 50))
          .extracting(Event::reason)
          .contains("SyncInterrupted");
      assertThat(after.store.operations().load(name)).isEmpty();
    }
  }

  @Test
  void aSyncInterruptedByAStopResumesFromItsSavedStateAfterTheRestart(
      LocalCluster cluster, TestNamespace ns) {
    GitWorkTree repo = GitWorkTree.init(root.resolve("env"));
    String settings = AutomatedSyncIT.configMap("settings", "one");
    repo.write("app/settings.yaml", settings);
    repo.commit("settings");
    String commit = repo.git("rev-parse", "HEAD").strip();
    Application application =
        Controller.application(
            """
            apiVersion: tagflow.dev/v1alpha1
            kind: Application
            metadata: {name: %s}
            spec:
              source: {repoURL: "%s", targetRevision: main, path: app}
              destination: {cluster: local, namespace: %s}
              syncPolicy: {automated: {prune: true}}
            """
                .formatted(name, repo.url(), ns.name()));
    Path data = root.resolve("data");
    ApplicationStatus.GitRevision revision = new ApplicationStatus.GitRevision("main", commit);
    Optional<SyncStateCodec> codec = Optional.of(SyncStateCodec.json());
    // What a process killed right after starting its first sync leaves: a running entry with its
    // manifests, and a checkpoint holding the operation's state as bytes; nothing applied yet.
    try (Controller before = new Controller(cluster, data, Controller.options(), codec)) {
      var entry =
          new SyncRecords(before.store)
              .started(
                  name,
                  revision,
                  Optional.empty(),
                  List.of(new ObjectJson().readYaml(settings).getFirst()),
                  SyncTrigger.AUTOMATION,
                  Instant.now().truncatedTo(ChronoUnit.MILLIS));
      new OperationCheckpoints(before.store.operations(), codec)
          .save(
              name,
              new OperationCheckpoints.Checkpoint(
                  entry.id(),
                  SyncTrigger.AUTOMATION,
                  revision,
                  "key",
                  Optional.empty(),
                  Optional.of(SyncState.start(name, revision.toString()))));
    }

    try (Controller after = new Controller(cluster, data, Controller.options(), codec)) {
      after.run(application);
      after.start();
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(after.status(name).sync().status()).isEqualTo(SyncCode.SYNCED);
                assertThat(after.statuses().history(name).getLast().sync().result())
                    .isEqualTo(SyncResult.SUCCEEDED);
              });

      // The entry the stopped process started is the one that applied the object, resumed; a
      // later reconcile (the test's checkpoint names no real render key) finds nothing to change.
      var resumed = after.statuses().history(name).getLast();
      assertThat(resumed.id()).isEqualTo(1);
      assertThat(resumed.sync().changeSetJson()).contains("\"action\":\"CREATED\"");
      assertThat(after.statuses().events(name, 50))
          .extracting(Event::reason)
          .doesNotContain("SyncInterrupted");
      assertThat(
              cluster
                  .newClient()
                  .configMaps()
                  .inNamespace(ns.name())
                  .withName("settings")
                  .get()
                  .getData())
          .containsEntry("value", "one");
      assertThat(after.store.operations().load(name)).isEmpty();
    }
  }
}
