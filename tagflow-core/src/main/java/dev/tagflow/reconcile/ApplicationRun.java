package dev.tagflow.reconcile;

import dev.tagflow.TagflowException;
import dev.tagflow.app.Application;
import dev.tagflow.apply.ChangeSet;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.diff.ResourceDiff;
import dev.tagflow.health.HealthStatus;
import dev.tagflow.render.ChartRef;
import dev.tagflow.render.RenderSource;
import dev.tagflow.render.SourceKind;
import dev.tagflow.source.Revision;
import dev.tagflow.sync.SyncOptions;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the steps of one run of an application pass on to each other: the one context every {@link
 * Step} takes. The command line and the controller fill it through the same steps of {@link
 * ApplicationSync}; the controller then reads what they found (revision, render key, diffs, health)
 * to decide whether to sync.
 */
public final class ApplicationRun {

  private static final Logger log = LoggerFactory.getLogger(ApplicationRun.class);

  final Application application;
  final RunOptions runOptions;
  final SyncOptions options;
  final Optional<Rendered> previous;
  Revision revision;
  Rendered rendered;
  List<GenericKubernetesResource> desired = List.of();
  List<ResourceDiff> diffs = List.of();
  ChangeSet changes;

  /** What earlier syncs wrote (the controller's); the health step adds what this run wrote. */
  AppliedVersions applied = AppliedVersions.NONE;

  Optional<HealthStatus> health = Optional.empty();
  Map<ObjectRef, HealthStatus> objectHealth = Map.of();

  /**
   * @param previous what the controller rendered last for this application: when the render key is
   *     still the same, its objects are used again and nothing is rendered
   */
  ApplicationRun(
      Application application,
      RunOptions runOptions,
      SyncOptions options,
      Optional<Rendered> previous) {
    this.application = application;
    this.runOptions = runOptions;
    this.options = options;
    this.previous = previous;
  }

  /** Runs the steps in order; the first failure ends the run and is returned. */
  public Optional<SyncFailure> through(List<Step> steps) {
    for (Step step : steps) {
      Optional<SyncFailure> failure;
      try {
        failure = step.action().apply(this);
      } catch (TagflowException e) {
        failure = Optional.of(step.failure().apply(e));
      }
      if (failure.isPresent()) {
        log.warn(
            "application={} revision={} step {} failed: {}",
            application.name(),
            revisionText(),
            step.name(),
            failure.get().message());
        return failure;
      }
    }
    return Optional.empty();
  }

  /** The report of the run so far, with its failure if one stopped it. */
  public SyncReport report(Optional<SyncFailure> failure) {
    return new SyncReport(
        application.name(),
        Optional.ofNullable(revision),
        diffs,
        changes == null ? ChangeSet.empty() : changes,
        health,
        failure);
  }

  public Application application() {
    return application;
  }

  /** The engine's options for this application (prune, namespaces, ignore rules, waits). */
  public SyncOptions options() {
    return options;
  }

  /** What the target revision resolved to, once the source step ran. */
  public Optional<Revision> revision() {
    return Optional.ofNullable(revision);
  }

  /** The objects rendered (or reused) and their key, once the render step ran. */
  public Optional<Rendered> rendered() {
    return Optional.ofNullable(rendered);
  }

  /** Whether the render step used the previous objects instead of rendering. */
  public boolean reusedRender() {
    return rendered != null && previous.filter(p -> p.key().equals(rendered.key())).isPresent();
  }

  /** How each object compares, once the diff step ran. */
  public List<ResourceDiff> diffs() {
    return diffs;
  }

  /** The aggregated health, once the health step ran. */
  public Optional<HealthStatus> health() {
    return health;
  }

  /** Each desired object's health (hooks aside), once the health step ran. */
  public Map<ObjectRef, HealthStatus> objectHealth() {
    return objectHealth;
  }

  /** {@code main (1a2b3c4d5e6f)}, or the revision as written before it was resolved. */
  public String revisionText() {
    return revision == null ? source().targetRevision() : SyncReport.describe(revision);
  }

  /** The Application's source, at the revision the person asked for if they did. */
  RenderSource source() {
    RenderSource source = RenderSource.of(application);
    if (runOptions.revision().isEmpty()) {
      return source;
    }
    String wanted = runOptions.revision().get();
    SourceKind kind = source.kind();
    if (kind instanceof SourceKind.Helm helm
        && helm.chart().isPresent()
        && helm.chart().get().targetRevision().equals(source.targetRevision())) {
      // A chart that follows the source's revision follows the one asked for too.
      ChartRef chart = helm.chart().get();
      kind =
          new SourceKind.Helm(
              Optional.of(new ChartRef(chart.repoURL(), chart.path(), wanted)),
              helm.valueFiles(),
              helm.values(),
              helm.parameters(),
              helm.releaseName());
    }
    return new RenderSource(source.application(), source.repoURL(), source.path(), wanted, kind);
  }
}
