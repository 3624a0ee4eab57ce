package dev.tagflow.cli;

import dev.tagflow.TagflowException;
import dev.tagflow.apply.ChangeSet;
import dev.tagflow.apply.ChangeSetEntry;
import dev.tagflow.cluster.ClusterConnections;
import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.health.HealthRegistry;
import dev.tagflow.reconcile.RunOptions;
import dev.tagflow.sync.SyncEngine;
import dev.tagflow.sync.SyncOperation;
import dev.tagflow.sync.SyncOptions;
import dev.tagflow.sync.SyncRequest;
import dev.tagflow.sync.SyncState;
import dev.tagflow.sync.SyncStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
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
 * {@code tagflow sync}: applies the Applications of a file (their source rendered at their
 * revision, options from their sync policy), or a directory of manifests as one application, wave
 * by wave, and prints the change set.
 */
@Command(
    name = "sync",
    mixinStandardHelpOptions = true,
    description = {
      "Apply the Applications of a file (their Git source rendered at their revision, options from"
          + " their syncPolicy), or a directory of manifests as one application, to a cluster:"
          + " server-side apply (field manager tagflow) in phase, wave and kind order, hooks, health"
          + " between waves, prune.",
      "Exit code 0 when synced, 1 when the sync failed or the prune needs --confirm-prune."
    })
final class SyncCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ManifestTargetOptions target;
  @Mixin OutputFormat output;
  @Mixin DataDirOption dataDir;

  @Option(
      names = "--prune",
      description = "Delete objects the application owned and no longer has.")
  boolean prune;

  @Option(
      names = "--prune-last",
      description = "With --manifests: prune after the last wave (PruneLast=true).")
  boolean pruneLast;

  @Option(
      names = "--confirm-prune",
      description = "Allow a prune of more than half of the application's objects.")
  boolean confirmPrune;

  @Option(names = "--dry-run", description = "Say what would change; change nothing.")
  boolean dryRun;

  @Option(
      names = "--create-namespace",
      description = "With --manifests: create the namespace if it is missing.")
  boolean createNamespace;

  @Option(
      names = "--replace",
      description =
          "With --manifests: recreate objects whose immutable fields changed (Replace=true).")
  boolean replace;

  @Option(
      names = "--timeout",
      defaultValue = "5m",
      paramLabel = "<duration>",
      description =
          "How long a wave before the last may wait for health, and how long an Application's"
              + " health is awaited after its sync, e.g. 90s, 5m (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    if (target.isApplicationFile()) {
      return new ApplicationRunner(target, dataDir, output, out).sync(runOptions());
    }
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

  /**
   * What the person asks on top of the Application. Options Git can hold are refused here, so the
   * Application stays the one place that says how it syncs.
   */
  private RunOptions runOptions() {
    List<String> inGit = new ArrayList<>();
    if (pruneLast) {
      inGit.add("--prune-last (PruneLast=true)");
    }
    if (createNamespace) {
      inGit.add("--create-namespace (CreateNamespace=true)");
    }
    if (replace) {
      inGit.add("--replace (Replace=true)");
    }
    if (!inGit.isEmpty()) {
      throw TagflowException.invalidInput(
          String.join(", ", inGit)
              + ": with an Application file, write "
              + (inGit.size() == 1 ? "it" : "them")
              + " in spec.syncPolicy.syncOptions, so Git says how the application syncs");
    }
    RunOptions options =
        RunOptions.defaults()
            .withDryRun(dryRun)
            .withPrune(prune)
            .withConfirmPrune(confirmPrune)
            .withWaitTimeout(DiffCommand.duration(timeout));
    return target.revision == null ? options : options.withRevision(target.revision);
  }

  private void print(PrintWriter out, SyncState end) {
    if (output.json()) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("application", end.application());
      result.put("status", end.status().name());
      result.put("message", end.message());
      result.put("changes", end.changes().entries().stream().map(SyncCommand::asMap).toList());
      output.printJson(out, result);
      return;
    }
    printChanges(out, end.changes());
    out.println(end.status().name().toLowerCase(java.util.Locale.ROOT) + ": " + end.message());
  }

  /** The change set as a table: object, action, message. */
  static void printChanges(PrintWriter out, ChangeSet changes) {
    List<List<String>> rows =
        changes.entries().stream()
            .map((ChangeSetEntry e) -> List.of(e.subject(), e.action().word(), e.message()))
            .toList();
    OutputFormat.printTable(out, List.of("OBJECT", "ACTION", "MESSAGE"), rows);
  }

  static Map<String, Object> asMap(ChangeSetEntry entry) {
    return Map.of(
        "subject", entry.subject(), "action", entry.action().word(), "message", entry.message());
  }
}
