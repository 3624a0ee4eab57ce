package dev.tagflow.cli;

import dev.tagflow.apply.ChangeSetEntry;
import dev.tagflow.cluster.ClusterConnections;
import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.health.HealthRegistry;
import dev.tagflow.sync.SyncEngine;
import dev.tagflow.sync.SyncOperation;
import dev.tagflow.sync.SyncOptions;
import dev.tagflow.sync.SyncRequest;
import dev.tagflow.sync.SyncState;
import dev.tagflow.sync.SyncStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tagflow sync}: applies a directory of manifests as one application, wave by wave, and
 * prints the change set. (Reading an Application file comes with the Application mapping.)
 */
@Command(
    name = "sync",
    mixinStandardHelpOptions = true,
    description = {
      "Apply a directory of manifests to a cluster as one application: server-side apply (field"
          + " manager tagflow) in phase, wave and kind order, hooks, health between waves, prune.",
      "Exit code 0 when synced, 1 when the sync failed or the prune needs --confirm-prune."
    })
final class SyncCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ManifestTargetOptions target;
  @Mixin OutputFormat output;

  @Option(
      names = "--prune",
      description = "Delete objects the application owned and no longer has.")
  boolean prune;

  @Option(names = "--prune-last", description = "Prune after the last wave (PruneLast=true).")
  boolean pruneLast;

  @Option(
      names = "--confirm-prune",
      description = "Allow a prune of more than half of the application's objects.")
  boolean confirmPrune;

  @Option(names = "--dry-run", description = "Say what would change; change nothing.")
  boolean dryRun;

  @Option(names = "--create-namespace", description = "Create the namespace if it is missing.")
  boolean createNamespace;

  @Option(
      names = "--replace",
      description = "Recreate objects whose immutable fields changed (Replace=true).")
  boolean replace;

  @Option(
      names = "--timeout",
      defaultValue = "5m",
      paramLabel = "<duration>",
      description =
          "How long one wave may wait for health, e.g. 90s, 5m (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    SyncOptions options =
        SyncOptions.defaults()
            .withPrune(prune)
            .withPruneLast(pruneLast)
            .withConfirmPrune(confirmPrune)
            .withDryRun(dryRun)
            .withCreateNamespace(createNamespace)
            .withReplace(replace)
            .withWaitTimeout(DiffCommand.duration(timeout));
    SyncRequest request =
        new SyncRequest(
            target.application, "manifests", target.namespace, target.readManifests(), options);
    try (ClusterConnections connections = target.connections()) {
      ClusterGateway cluster = connections.connect(target.context());
      SyncOperation operation =
          new SyncOperation(
              SyncEngine.of(cluster, cluster, HealthRegistry.builtIn()),
              request,
              SyncState.start(target.application, "manifests"));
      SyncState end = operation.run(Duration.ofSeconds(1));
      print(out, end);
      return end.status() == SyncStatus.SUCCEEDED ? ExitCode.OK : ExitCode.FAILED;
    }
  }

  private void print(PrintWriter out, SyncState end) {
    if (output.json()) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("application", end.application());
      result.put("status", end.status().name());
      result.put("message", end.message());
      result.put(
          "changes",
          end.changes().entries().stream()
              .map(
                  e ->
                      Map.of(
                          "subject",
                          e.subject(),
                          "action",
                          e.action().word(),
                          "message",
                          e.message()))
              .toList());
      output.printJson(out, result);
      return;
    }
    List<List<String>> rows =
        end.changes().entries().stream()
            .map((ChangeSetEntry e) -> List.of(e.subject(), e.action().word(), e.message()))
            .toList();
    OutputFormat.printTable(out, List.of("OBJECT", "ACTION", "MESSAGE"), rows);
    out.println(end.status().name().toLowerCase(java.util.Locale.ROOT) + ": " + end.message());
  }
}
