package dev.tagflow.reconcile;

import dev.tagflow.TagflowException;
import dev.tagflow.app.Application;
import dev.tagflow.app.ApplicationLoader;
import dev.tagflow.app.SyncPolicy;
import dev.tagflow.apply.ChangeSet;
import dev.tagflow.cluster.ApiResource;
import dev.tagflow.cluster.ClusterException;
import dev.tagflow.cluster.LiveLookup;
import dev.tagflow.cluster.LiveStateCache;
import dev.tagflow.diff.DiffOptions;
import dev.tagflow.diff.ResourceDiff;
import dev.tagflow.render.Capabilities;
import dev.tagflow.render.HookAnnotations;
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
import dev.tagflow.sync.SyncStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One application's run against one cluster, as a list of named steps: {@code source} (fetch and
 * resolve the revision) → {@code render} → {@code diff} or {@code sync} (the sync engine, options
 * from {@link SyncOptionsMapping}) → {@code health} (the worst object wins). The first step that
 * fails ends the run with its typed {@link SyncFailure}; nothing after it runs, so nothing
 * half-done is reported as success.
 *
 * <p>The command line runs {@link #diff} and {@link #sync}; the controller's reconcile runs the
 * same steps ({@link #source}, {@link #render}, {@link #compare}, {@link #health}) on an {@link
 * ApplicationRun} of its own, and advances the sync as a {@link SyncOperation} built by {@link
 * #operation}, one wave per watch event instead of waiting here.
 */
public final class ApplicationSync {

  private static final Logger log = LoggerFactory.getLogger(ApplicationSync.class);
  private static final Duration POLL = Duration.ofSeconds(1);

  private final RepoCache repos;
  private final Renderer renderer;
  private final SyncEngine engine;
  private final SyncEngine operations;
  private final Capabilities capabilities;
  private final SyncOptionsMapping mapping = new SyncOptionsMapping();
  private final ChildApplications childApplications =
      new ChildApplications(new ApplicationLoader());
  private final HealthAssessment health;

  /**
   * @param engine the destination cluster's engine (the one the Application's destination names)
   * @param capabilities what that cluster offers to charts
   */
  public ApplicationSync(
      RepoCache repos, Renderer renderer, SyncEngine engine, Capabilities capabilities) {
    this(repos, renderer, engine, engine, capabilities);
  }

  /**
   * Steps whose comparisons and syncs read live objects from different places: a controller
   * compares through a watch-fed cache (no request in steady state) and syncs reading the API
   * server, because a wave must be judged on the object its apply just stored, which a cache may
   * not have seen yet.
   *
   * @param engine compares and judges the application's health
   * @param operations runs its syncs (the same cluster, inventories and differ)
   */
  public ApplicationSync(
      RepoCache repos,
      Renderer renderer,
      SyncEngine engine,
      SyncEngine operations,
      Capabilities capabilities) {
    this.repos = repos;
    this.renderer = renderer;
    this.engine = engine;
    this.operations = operations;
    this.capabilities = capabilities;
    this.health = new HealthAssessment(engine, POLL);
  }

  /**
   * The tag that points at the revision's commit: the one the revision named, or else one of the
   * mirror's tags at that commit (the highest by name when several do), if any.
   */
  Optional<String> tagAt(ApplicationRun run) {
    Revision revision = run.revision().orElseThrow();
    if (revision.tag().isPresent()) {
      return revision.tag();
    }
    String prefix = "refs/tags/";
    return repos.status(run.source().repoURL()).refs().entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix) && e.getValue().equals(revision.commit()))
        .map(e -> e.getKey().substring(prefix.length()))
        .max(String::compareTo);
  }

  /** The engine of the destination cluster that compares and judges health. */
  public SyncEngine engine() {
    return engine;
  }

  /**
   * Makes the live-state cache watch the kinds of these objects, as a comparison does: a sync
   * resumed after a restart runs before its application's first comparison, and without the watches
   * no event would wake it when a wave's objects become ready (only its wait deadline would). A
   * kind that cannot be looked up or watched now is left to the comparison, which reports it.
   */
  void watchKindsOf(String application, List<GenericKubernetesResource> objects) {
    if (!(engine.live() instanceof LiveStateCache cache)) {
      return; // reads the API server: nothing to watch
    }
    List<ApiResource> types = new ArrayList<>();
    for (GenericKubernetesResource object : objects) {
      try {
        engine
            .cluster()
            .discovery()
            .find(object.getApiVersion(), object.getKind())
            .filter(type -> !types.contains(type))
            .ifPresent(types::add);
      } catch (ClusterException e) {
        log.warn(
            "application={} could not look up {} to watch it: {}",
            application,
            object.getKind(),
            e.getMessage());
      }
    }
    try {
      cache.watch(types);
    } catch (ClusterException e) {
      log.warn("application={} could not watch its kinds: {}", application, e.getMessage());
    }
  }

  /**
   * Compares the application at its revision with the cluster; changes nothing.
   *
   * @throws TagflowException (INVALID_INPUT) when the Application asks for options the engine
   *     cannot honour, before any step runs
   */
  public SyncReport diff(Application application, RunOptions options) {
    ApplicationRun run = newRun(application, options, Optional.empty());
    return run.report(
        run.through(List.of(source(true), render(), compare(engine.cluster()), health())));
  }

  /**
   * Syncs the application at its revision (or {@link RunOptions#revision()}), waiting for each wave
   * before the last to be healthy; then, for the person at the command line, waits up to the wait
   * timeout while the application is Progressing, and reports its health (a sync is not failed by a
   * last wave still Progressing).
   *
   * @throws TagflowException (INVALID_INPUT) when the Application asks for options the engine
   *     cannot honour, before any step runs
   */
  public SyncReport sync(Application application, RunOptions options) {
    ApplicationRun run = newRun(application, options, Optional.empty());
    return run.report(
        run.through(
            List.of(
                source(true),
                render(),
                new Step("sync", this::applyAndWait, ApplicationSync::syncFailed),
                health())));
  }

  /**
   * A run of the application, its options mapped.
   *
   * @param previous the objects of an earlier render, used again when the render key is the same
   * @throws TagflowException (INVALID_INPUT) when the Application asks for options the engine
   *     cannot honour
   */
  public ApplicationRun newRun(
      Application application, RunOptions options, Optional<Rendered> previous) {
    return new ApplicationRun(application, options, mapping.map(application, options), previous);
  }

  /**
   * Resolves the target revision.
   *
   * @param fetch fetch the repositories first (the command line); the controller reads the mirror
   *     as its Git events left it, which fetches only what it has never fetched
   */
  public Step source(boolean fetch) {
    return new Step("source", run -> resolve(run, fetch), ApplicationSync::sourceFailed);
  }

  /** Renders the source at the resolved revision, or reuses the previous objects of its key. */
  public Step render() {
    return new Step("render", this::render, ApplicationSync::renderFailed);
  }

  /**
   * Compares the rendered objects with the cluster.
   *
   * @param inventories where the application's inventory is read: the cluster for the command line,
   *     the live-state cache for the controller (no request in steady state)
   */
  public Step compare(LiveLookup inventories) {
    return new Step("diff", run -> compare(run, inventories), ApplicationSync::comparisonFailed);
  }

  /** Judges every desired object's health; fails only a run that synced (the command line). */
  public Step health() {
    return health.step();
  }

  /**
   * The sync of the run's rendered objects as an operation the caller advances, from {@code state}
   * ({@link SyncState#start} for a new one).
   */
  public SyncOperation operation(ApplicationRun run, SyncState state) {
    return operation(run.application, run.revisionText(), run.desired, run.options, state);
  }

  /**
   * The sync of given objects (a rollback's recorded manifests) as an operation the caller
   * advances.
   */
  public SyncOperation operation(
      Application application,
      String revision,
      List<GenericKubernetesResource> desired,
      SyncOptions options,
      SyncState state) {
    SyncRequest request =
        new SyncRequest(
            application.name(), revision, application.destination().namespace(), desired, options);
    return new SyncOperation(operations, request, state);
  }

  private Optional<SyncFailure> resolve(ApplicationRun run, boolean fetch) {
    RenderSource source = run.source();
    if (fetch) {
      repos.fetch(source.repoURL());
      if (source.kind() instanceof SourceKind.Helm helm && helm.chart().isPresent()) {
        String chartUrl = helm.chart().get().repoURL();
        if (!chartUrl.equals(source.repoURL())) {
          repos.fetch(chartUrl);
        }
      }
    }
    run.revision = repos.resolve(source.repoURL(), source.targetRevision());
    log.debug(
        "application={} revision={} resolved to commit {}",
        run.application.name(),
        source.targetRevision(),
        run.revision.commit());
    return Optional.empty();
  }

  private Optional<SyncFailure> render(ApplicationRun run) {
    RenderTarget target = new RenderTarget(run.application.destination().namespace(), capabilities);
    String key = renderer.inputsKey(run.source(), run.revision, target);
    if (run.previous.isPresent() && run.previous.get().key().equals(key)) {
      // Nothing the source reads changed (a commit elsewhere in the repository): same objects.
      run.rendered =
          new Rendered(
              key,
              run.revision.commit(),
              run.previous.get().desired(),
              run.previous.get().children());
      run.desired = run.rendered.desired();
      return Optional.empty();
    }
    List<Manifest> rendered = renderer.render(run.source(), run.revision, target);
    // Applications among the manifests are child applications (app of apps), not objects.
    List<Manifest> manifests =
        rendered.stream().filter(m -> !ChildApplications.isApplication(m.object())).toList();
    ChildApplications.Found children =
        manifests.size() == rendered.size()
            ? ChildApplications.Found.NONE
            : childApplications.read(
                rendered.stream()
                    .filter(m -> ChildApplications.isApplication(m.object()))
                    .toList());
    boolean allowEmpty =
        run.application
            .syncPolicy()
            .automated()
            .map(SyncPolicy.Automated::allowEmpty)
            .orElse(false);
    if (rendered.isEmpty() && !allowEmpty) {
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
    run.rendered = new Rendered(key, run.revision.commit(), run.desired, children);
    log.info(
        "application={} revision={} rendered {} objects{}",
        run.application.name(),
        run.revisionText(),
        run.desired.size(),
        rendered.size() == manifests.size()
            ? ""
            : " and " + (rendered.size() - manifests.size()) + " child applications");
    return Optional.empty();
  }

  private Optional<SyncFailure> compare(ApplicationRun run, LiveLookup inventories) {
    Application application = run.application;
    var owned = engine.inventories().load(application.name(), inventories).objects();
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
    log.debug(
        "application={} revision={} compared: {} of {} objects differ",
        application.name(),
        run.revisionText(),
        differing,
        run.diffs.size());
    return Optional.empty();
  }

  private Optional<SyncFailure> applyAndWait(ApplicationRun run) {
    SyncOperation operation =
        operation(run, SyncState.start(run.application.name(), run.revisionText()));
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
    if (end.status() == SyncStatus.SUCCEEDED && !run.runOptions.dryRun()) {
      try {
        health.awaitSettled(run);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ClusterException e) {
        // The health step that follows reads the cluster again and reports what it finds.
        log.debug("application={} health wait stopped: {}", run.application.name(), e.getMessage());
      }
    }
    return switch (end.status()) {
      case SUCCEEDED, RUNNING -> Optional.empty();
      case FAILED -> Optional.of(new SyncFailure.SyncFailed(end.message(), end.changes()));
      case NEEDS_CONFIRMATION -> Optional.of(new SyncFailure.NeedsConfirmation(end.message()));
    };
  }

  static boolean isHook(GenericKubernetesResource object) {
    return HookAnnotations.isHook(object.getMetadata().getAnnotations());
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

  private static SyncFailure comparisonFailed(TagflowException e) {
    return new SyncFailure.ComparisonFailed(e.getMessage());
  }

  private static boolean isInvalidInput(TagflowException e) {
    return e.reason() == TagflowException.Reason.INVALID_INPUT;
  }
}
