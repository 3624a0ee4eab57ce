package dev.tagflow.reconcile;

import dev.tagflow.GroupKind;
import dev.tagflow.TagflowException;
import dev.tagflow.app.Application;
import dev.tagflow.app.SyncPolicy;
import dev.tagflow.apply.ChangeSet;
import dev.tagflow.cluster.ClusterException;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.diff.DiffOptions;
import dev.tagflow.diff.ResourceDiff;
import dev.tagflow.health.Health;
import dev.tagflow.health.HealthStatus;
import dev.tagflow.render.Capabilities;
import dev.tagflow.render.ChartRef;
import dev.tagflow.render.Manifest;
import dev.tagflow.render.RenderSource;
import dev.tagflow.render.RenderTarget;
import dev.tagflow.render.Renderer;
import dev.tagflow.render.SourceKind;
import dev.tagflow.source.RepoCache;
import dev.tagflow.source.Revision;
import dev.tagflow.sync.SyncEngine;
import dev.tagflow.sync.SyncOperation;
import dev.tagflow.sync.SyncOptions;
import dev.tagflow.sync.SyncRequest;
import dev.tagflow.sync.SyncState;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One manual diff or sync of one Application against one cluster, as a list of named steps: {@code
 * source} (fetch and resolve the revision) → {@code render} → {@code diff} or {@code sync} (the
 * sync engine, options from {@link SyncOptionsMapping}) → {@code health} (the worst object wins).
 * The first step that fails ends the run with its typed {@link SyncFailure}; nothing after it runs,
 * so nothing half-done is reported as success.
 *
 * <p>The controller's reconcile (automated sync, self-heal, retry, rollback) will run the same
 * steps from its queue.
 */
public final class ApplicationSync {

  private static final Logger log = LoggerFactory.getLogger(ApplicationSync.class);
  private static final Duration POLL = Duration.ofSeconds(1);
  private static final Set<String> HOOK_ANNOTATIONS =
      Set.of("helm.sh/hook", "tagflow.dev/hook", "argocd.argoproj.io/hook");

  private final RepoCache repos;
  private final Renderer renderer;
  private final SyncEngine engine;
  private final Capabilities capabilities;
  private final SyncOptionsMapping mapping = new SyncOptionsMapping();

  /**
   * @param engine the destination cluster's engine (the one the Application's destination names)
   * @param capabilities what that cluster offers to charts
   */
  public ApplicationSync(
      RepoCache repos, Renderer renderer, SyncEngine engine, Capabilities capabilities) {
    this.repos = repos;
    this.renderer = renderer;
    this.engine = engine;
    this.capabilities = capabilities;
  }

  /**
   * Compares the application at its revision with the cluster; changes nothing.
   *
   * @throws TagflowException (INVALID_INPUT) when the Application asks for options the engine
   *     cannot honour, before any step runs
   */
  public SyncReport diff(Application application, RunOptions options) {
    Run run = new Run(application, options, mapping.map(application, options));
    return run.through(
        List.of(
            new Step("source", this::resolve, ApplicationSync::sourceFailed),
            new Step("render", this::render, ApplicationSync::renderFailed),
            new Step("diff", this::compare, ApplicationSync::syncFailed),
            new Step("health", this::assessHealth, ApplicationSync::healthFailed)));
  }

  /**
   * Syncs the application at its revision (or {@link RunOptions#revision()}), waiting for each wave
   * to be healthy.
   *
   * @throws TagflowException (INVALID_INPUT) when the Application asks for options the engine
   *     cannot honour, before any step runs
   */
  public SyncReport sync(Application application, RunOptions options) {
    Run run = new Run(application, options, mapping.map(application, options));
    return run.through(
        List.of(
            new Step("source", this::resolve, ApplicationSync::sourceFailed),
            new Step("render", this::render, ApplicationSync::renderFailed),
            new Step("sync", this::apply, ApplicationSync::syncFailed),
            new Step("health", this::assessHealth, ApplicationSync::healthFailed)));
  }

  private Optional<SyncFailure> resolve(Run run) {
    RenderSource source = run.source();
    repos.fetch(source.repoURL());
    if (source.kind() instanceof SourceKind.Helm helm && helm.chart().isPresent()) {
      String chartUrl = helm.chart().get().repoURL();
      if (!chartUrl.equals(source.repoURL())) {
        repos.fetch(chartUrl);
      }
    }
    run.revision = repos.resolve(source.repoURL(), source.targetRevision());
    log.info(
        "application={} revision={} resolved to commit {}",
        run.application.name(),
        source.targetRevision(),
        run.revision.commit());
    return Optional.empty();
  }

  private Optional<SyncFailure> render(Run run) {
    List<Manifest> manifests =
        renderer.render(
            run.source(),
            run.revision,
            new RenderTarget(run.application.destination().namespace(), capabilities));
    boolean allowEmpty =
        run.application
            .syncPolicy()
            .automated()
            .map(SyncPolicy.Automated::allowEmpty)
            .orElse(false);
    if (manifests.isEmpty() && !allowEmpty) {
      return Optional.of(
          new SyncFailure.RenderFailed(
              "Application '"
                  + run.application.name()
                  + "' renders no objects from "
                  + run.source().shownPath()
                  + " at "
                  + SyncReport.describe(run.revision)
                  + "; an empty sync would prune everything it owns: check the path, or set"
                  + " spec.syncPolicy.automated.allowEmpty: true",
              true));
    }
    run.desired = manifests.stream().map(Manifest::object).toList();
    log.info(
        "application={} revision={} rendered {} objects",
        run.application.name(),
        run.revisionText(),
        run.desired.size());
    return Optional.empty();
  }

  private Optional<SyncFailure> compare(Run run) {
    Application application = run.application;
    var owned = engine.inventories().load(application.name()).objects();
    run.diffs =
        engine
            .differ()
            .diff(
                // Hooks run during a sync and may be deleted after it: never drift.
                run.desired.stream().filter(o -> !isHook(o)).toList(),
                owned,
                new DiffOptions(
                    application.name(),
                    application.destination().namespace(),
                    run.options.fieldManager(),
                    run.options.ignoreRules()));
    long differing = run.diffs.stream().filter(ResourceDiff::needsSync).count();
    log.info(
        "application={} revision={} compared: {} of {} objects differ",
        application.name(),
        run.revisionText(),
        differing,
        run.diffs.size());
    return Optional.empty();
  }

  private Optional<SyncFailure> apply(Run run) {
    String name = run.application.name();
    SyncRequest request =
        new SyncRequest(
            name,
            run.revisionText(),
            run.application.destination().namespace(),
            run.desired,
            run.options);
    SyncOperation operation =
        new SyncOperation(engine, request, SyncState.start(name, run.revisionText()));
    SyncState end;
    try {
      end = operation.run(POLL);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of(
          new SyncFailure.SyncFailed("interrupted while syncing", operation.state().changes()));
    } catch (ClusterException e) {
      // What the earlier steps did is still reported: the failure stopped only the current one.
      run.changes = operation.state().changes();
      return Optional.of(new SyncFailure.SyncFailed(e.getMessage(), run.changes));
    }
    run.changes = end.changes();
    return switch (end.status()) {
      case SUCCEEDED, RUNNING -> Optional.empty();
      case FAILED -> Optional.of(new SyncFailure.SyncFailed(end.message(), end.changes()));
      case NEEDS_CONFIRMATION -> Optional.of(new SyncFailure.NeedsConfirmation(end.message()));
    };
  }

  /** The worst health of the application's objects (hooks aside: they come and go). */
  private Optional<SyncFailure> assessHealth(Run run) {
    List<HealthStatus> verdicts =
        run.desired.stream().filter(o -> !isHook(o)).map(this::verdict).toList();
    HealthStatus health = HealthStatus.aggregate(verdicts);
    run.health = Optional.of(health);
    log.info(
        "application={} revision={} health {}",
        run.application.name(),
        run.revisionText(),
        // Healthy would list every object; what holds an application back is worth the length.
        health.health() == Health.HEALTHY ? health.health().displayName() : health);
    boolean judged = run.changes != null && !run.runOptions.dryRun();
    boolean bad =
        health.health() == Health.DEGRADED
            || health.health() == Health.MISSING
            || health.health() == Health.UNKNOWN;
    return judged && bad
        ? Optional.of(new SyncFailure.HealthCheckFailed(health))
        : Optional.empty();
  }

  private HealthStatus verdict(GenericKubernetesResource object) {
    ObjectRef ref = ObjectRef.of(object);
    return engine
        .live()
        .live(ref)
        .map(live -> engine.health().assess(live))
        .orElseGet(
            () ->
                engine
                    .health()
                    .missing(new GroupKind(ref.group(), ref.kind()), ref.namespace(), ref.name()));
  }

  private static boolean isHook(GenericKubernetesResource object) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    return annotations != null
        && annotations.keySet().stream().anyMatch(HOOK_ANNOTATIONS::contains);
  }

  private static SyncFailure sourceFailed(TagflowException e) {
    return new SyncFailure.SourceFailed(e.getMessage(), isInvalidInput(e));
  }

  private static SyncFailure renderFailed(TagflowException e) {
    return new SyncFailure.RenderFailed(e.getMessage(), isInvalidInput(e));
  }

  private static SyncFailure syncFailed(TagflowException e) {
    return new SyncFailure.SyncFailed(e.getMessage(), ChangeSet.empty());
  }

  /** Live objects that cannot be read cannot be judged: Unknown, which never passes a gate. */
  private static SyncFailure healthFailed(TagflowException e) {
    return new SyncFailure.HealthCheckFailed(
        HealthStatus.unknown("cannot judge health: " + e.getMessage()));
  }

  private static boolean isInvalidInput(TagflowException e) {
    return e.reason() == TagflowException.Reason.INVALID_INPUT;
  }

  /** One named step: what it does, and the typed reason its failure is reported as. */
  private record Step(
      String name,
      Function<Run, Optional<SyncFailure>> action,
      Function<TagflowException, SyncFailure> failure) {}

  /** What the steps of one run pass on to each other: the one context every step takes. */
  private static final class Run {
    final Application application;
    final RunOptions runOptions;
    final SyncOptions options;
    Revision revision;
    List<GenericKubernetesResource> desired = List.of();
    List<ResourceDiff> diffs = List.of();
    ChangeSet changes;
    Optional<HealthStatus> health = Optional.empty();

    Run(Application application, RunOptions runOptions, SyncOptions options) {
      this.application = application;
      this.runOptions = runOptions;
      this.options = options;
    }

    SyncReport through(List<Step> steps) {
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
          return report(failure);
        }
      }
      return report(Optional.empty());
    }

    SyncReport report(Optional<SyncFailure> failure) {
      return new SyncReport(
          application.name(),
          Optional.ofNullable(revision),
          diffs,
          changes == null ? ChangeSet.empty() : changes,
          health,
          failure);
    }

    String revisionText() {
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
}
