package dev.tagflow.cli;

import dev.tagflow.TagflowException;
import dev.tagflow.cluster.ClusterConnections;
import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.diff.DiffOptions;
import dev.tagflow.diff.Differ;
import dev.tagflow.diff.ResourceDiff;
import dev.tagflow.inventory.InventoryStore;
import dev.tagflow.reconcile.RunOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code tagflow diff}: compares the Applications of a file (their source rendered at their
 * revision), or a directory of manifests as one application, with a cluster, and prints what
 * differs as unified diffs (Secret values masked).
 */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = {
      "Compare the Applications of a file (their Git source rendered at their revision), or a"
          + " directory of manifests as one application, with a cluster: a server-side apply"
          + " dry-run per object, compared on the fields Tagflow manages. Secret values are masked.",
      "Exit code 0 when everything is in sync, 1 when something differs (as kubectl diff)."
    })
final class DiffCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ManifestTargetOptions target;
  @Mixin OutputFormat output;
  @Mixin DataDirOption dataDir;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (target.isApplicationFile()) {
      RunOptions options = RunOptions.defaults();
      return new ApplicationRunner(target, dataDir, output, out)
          .diff(target.revision == null ? options : options.withRevision(target.revision));
    }
    // The manifests first: a mistake in them is said without needing a cluster.
    var manifests = target.readManifests();
    try (ClusterConnections connections = target.connections()) {
      ClusterGateway cluster = connections.connect(target.context());
      var owned =
          new InventoryStore(cluster, InventoryStore.DEFAULT_NAMESPACE)
              .load(target.application)
              .objects();
      List<ResourceDiff> diffs =
          new Differ(cluster, cluster)
              .diff(manifests, owned, DiffOptions.defaults(target.application, target.namespace));
      print(out, diffs);
      return diffs.stream().anyMatch(ResourceDiff::needsSync) ? ExitCode.FAILED : ExitCode.OK;
    }
  }

  private void print(PrintWriter out, List<ResourceDiff> diffs) {
    if (output.json()) {
      output.printJson(out, diffs.stream().map(DiffCommand::asMap).toList());
      return;
    }
    printDiffs(out, diffs);
  }

  /** One line per object, and the unified diff of each that is out of sync. */
  static void printDiffs(PrintWriter out, List<ResourceDiff> diffs) {
    for (ResourceDiff diff : diffs) {
      switch (diff) {
        case ResourceDiff.InSync d -> out.println(d.object().subject() + ": in sync");
        case ResourceDiff.OutOfSync d -> {
          out.println(d.object().subject() + ": out of sync");
          out.print(d.unifiedDiff());
        }
        case ResourceDiff.Missing d ->
            out.println(d.object().subject() + ": missing (would be created)");
        case ResourceDiff.Extra d ->
            out.println(
                d.object().subject() + ": extra (no longer in the manifests; pruned with --prune)");
        case ResourceDiff.Unknown d ->
            out.println(d.object().subject() + ": unknown: " + d.reason());
      }
    }
  }

  static Map<String, Object> asMap(ResourceDiff diff) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("subject", diff.object().subject());
    map.put("status", diff.getClass().getSimpleName());
    switch (diff) {
      case ResourceDiff.OutOfSync d -> map.put("diff", d.unifiedDiff());
      case ResourceDiff.Missing d -> map.put("desired", d.desiredYaml());
      case ResourceDiff.Unknown d -> map.put("reason", d.reason());
      default -> {}
    }
    return map;
  }

  /** Parses {@code 90s}, {@code 5m}, {@code 1h}. */
  static Duration duration(String text) {
    try {
      long amount = Long.parseLong(text.substring(0, text.length() - 1));
      return switch (text.charAt(text.length() - 1)) {
        case 's' -> Duration.ofSeconds(amount);
        case 'm' -> Duration.ofMinutes(amount);
        case 'h' -> Duration.ofHours(amount);
        default -> throw new NumberFormatException();
      };
    } catch (RuntimeException e) {
      throw TagflowException.invalidInput(
          "--timeout must be a number with s, m or h, like 90s or 5m; got '" + text + "'");
    }
  }
}
