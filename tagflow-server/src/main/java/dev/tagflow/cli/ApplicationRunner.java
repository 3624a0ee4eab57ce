package dev.tagflow.cli;

import dev.tagflow.TagflowException;
import dev.tagflow.app.Application;
import dev.tagflow.app.ApplicationLoader;
import dev.tagflow.cluster.ClusterConnections;
import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.health.Health;
import dev.tagflow.health.HealthRegistry;
import dev.tagflow.health.HealthStatus;
import dev.tagflow.reconcile.ApplicationSync;
import dev.tagflow.reconcile.DestinationCapabilities;
import dev.tagflow.reconcile.DestinationContext;
import dev.tagflow.reconcile.RunOptions;
import dev.tagflow.reconcile.SyncFailure;
import dev.tagflow.reconcile.SyncReport;
import dev.tagflow.render.RenderOptions;
import dev.tagflow.render.Renderer;
import dev.tagflow.sync.SyncEngine;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * The Application-file form of {@code tagflow diff} and {@code tagflow sync}: every Application of
 * the file, in order, through {@link ApplicationSync} against its destination's context, with
 * repositories read through the data directory's mirrors (credentials of {@code tagflow repo add}).
 */
final class ApplicationRunner {

  private final ManifestTargetOptions target;
  private final DataDirOption dataDir;
  private final OutputFormat output;
  private final PrintWriter out;

  ApplicationRunner(
      ManifestTargetOptions target, DataDirOption dataDir, OutputFormat output, PrintWriter out) {
    this.target = target;
    this.dataDir = dataDir;
    this.output = output;
    this.out = out;
  }

  /** Exit 0 when every application is in sync, 1 when one differs or failed. */
  int diff(RunOptions options) {
    List<SyncReport> reports = run((sync, app) -> sync.diff(app, options));
    printDiffs(reports);
    return reports.stream().allMatch(SyncReport::inSync) ? ExitCode.OK : ExitCode.FAILED;
  }

  /** Exit 0 when every application synced and is not unhealthy, 1 otherwise. */
  int sync(RunOptions options) {
    List<SyncReport> reports = run((sync, app) -> sync.sync(app, options));
    printSyncs(reports);
    return reports.stream().allMatch(SyncReport::succeeded) ? ExitCode.OK : ExitCode.FAILED;
  }

  private List<SyncReport> run(BiFunction<ApplicationSync, Application, SyncReport> verb) {
    List<Application> applications = new ApplicationLoader().load(target.applicationFile);
    DestinationContext destinations = new DestinationContext();
    List<Optional<String>> contexts = new ArrayList<>();
    for (Application application : applications) {
      // Every destination is checked before any application is touched.
      contexts.add(target.context().or(() -> destinations.contextFor(application)));
    }
    Path workDir = dataDir.resolve().resolve("render").resolve(UUID.randomUUID().toString());
    try (RepoContext repos = new RepoContext(dataDir.resolve());
        Renderer renderer =
            new Renderer(
                repos.cache(),
                RenderOptions.defaults(workDir, new KubectlFinder().find()),
                new SimpleMeterRegistry());
        ClusterConnections connections = target.connections()) {
      Map<String, ApplicationSync> syncs = new HashMap<>();
      List<SyncReport> reports = new ArrayList<>();
      for (int i = 0; i < applications.size(); i++) {
        ClusterGateway cluster = connections.connect(contexts.get(i));
        ApplicationSync sync =
            syncs.computeIfAbsent(
                cluster.name(),
                n ->
                    new ApplicationSync(
                        repos.cache(),
                        renderer,
                        SyncEngine.of(cluster, cluster, HealthRegistry.builtIn()),
                        new DestinationCapabilities().of(cluster)));
        SyncReport report = verb.apply(sync, applications.get(i));
        Optional<SyncFailure> userError = report.failure().filter(SyncFailure::invalidInput);
        if (applications.size() == 1 && userError.isPresent()) {
          throw TagflowException.invalidInput(userError.get().message());
        }
        reports.add(report);
      }
      return reports;
    } finally {
      deleteQuietly(workDir);
    }
  }

  private void printDiffs(List<SyncReport> reports) {
    if (output.json()) {
      output.printJson(out, single(reports.stream().map(r -> asMap(r, true)).toList()));
      return;
    }
    for (SyncReport report : reports) {
      out.println(header(report));
      DiffCommand.printDiffs(out, report.diffs());
      footer(report, report.inSync() ? "in sync" : "out of sync");
    }
  }

  private void printSyncs(List<SyncReport> reports) {
    if (output.json()) {
      output.printJson(out, single(reports.stream().map(r -> asMap(r, false)).toList()));
      return;
    }
    for (SyncReport report : reports) {
      out.println(header(report));
      SyncCommand.printChanges(out, report.changes());
      footer(report, "synced: " + report.changes().summary());
    }
  }

  private static String header(SyncReport report) {
    return "application " + report.application() + " at " + report.revisionText();
  }

  private void footer(SyncReport report, String success) {
    // Healthy lists every object; only what holds an application back is worth a line each.
    report
        .health()
        .map(h -> h.health() == Health.HEALTHY ? h.health().displayName() : h.toString())
        .ifPresent(h -> out.println("health: " + h));
    out.println(
        report
            .failure()
            .map(f -> "failed (" + f.step() + "): " + f.message() + hint(f))
            .orElse(success));
  }

  /** What to type next, where the failure has a flag for it. */
  private static String hint(SyncFailure failure) {
    return failure instanceof SyncFailure.NeedsConfirmation
        ? " (tagflow sync --prune --confirm-prune)"
        : "";
  }

  private static Map<String, Object> asMap(SyncReport report, boolean diff) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("application", report.application());
    map.put("revision", report.revision().map(r -> r.requested()).orElse(null));
    map.put("commit", report.revision().map(r -> r.commit()).orElse(null));
    map.put("status", status(report, diff));
    report.failure().ifPresent(f -> map.put("failedStep", f.step()));
    report.failure().ifPresent(f -> map.put("message", f.message()));
    if (diff) {
      map.put("diffs", report.diffs().stream().map(DiffCommand::asMap).toList());
    } else {
      map.put("changes", report.changes().entries().stream().map(SyncCommand::asMap).toList());
    }
    report.health().ifPresent(h -> map.put("health", health(h)));
    return map;
  }

  /** The failure's type ({@code RenderFailed}), else InSync|OutOfSync (diff) or Succeeded. */
  private static String status(SyncReport report, boolean diff) {
    if (report.failure().isPresent()) {
      return report.failure().get().getClass().getSimpleName();
    }
    if (!diff) {
      return "Succeeded";
    }
    return report.inSync() ? "InSync" : "OutOfSync";
  }

  private static Map<String, Object> health(HealthStatus health) {
    return Map.of("status", health.health().displayName(), "message", health.message());
  }

  /** One application's object as it is, several as a list. */
  private static Object single(List<Map<String, Object>> items) {
    return items.size() == 1 ? items.getFirst() : items;
  }

  private static void deleteQuietly(Path dir) {
    try {
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // The renderer removed what it wrote; a leftover empty folder is harmless.
    }
  }
}
