package dev.tagflow.reconcile;

import dev.tagflow.GroupKind;
import dev.tagflow.TagflowException;
import dev.tagflow.cluster.ApiResource;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.health.Health;
import dev.tagflow.health.HealthStatus;
import dev.tagflow.sync.SyncEngine;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code health} step of a run: each desired object's health (hooks aside: they come and go),
 * judged only on a live object at least as new as what the run's syncs wrote ({@link
 * AppliedVersions}), and the worst of them; and the command line's wait, after a sync, while the
 * application is still Progressing.
 */
final class HealthAssessment {

  private static final Logger log = LoggerFactory.getLogger(HealthAssessment.class);

  private final SyncEngine engine;
  private final Duration poll;

  /**
   * @param engine the destination's engine that judges health (its live view and health checks)
   * @param poll how often the command line's wait looks again
   */
  HealthAssessment(SyncEngine engine, Duration poll) {
    this.engine = engine;
    this.poll = poll;
  }

  /** Judges every desired object's health; fails only a run that synced (the command line). */
  Step step() {
    return new Step("health", this::assessHealth, HealthAssessment::healthFailed);
  }

  /**
   * The command line's wait after a sync: a person or a CI job running {@code tagflow sync} is told
   * how the application came out, so it waits, up to the wait timeout, while an object is
   * Progressing or not seen yet (as {@code argocd app sync} followed by {@code argocd app wait
   * --health}). The sync itself ended with its last wave, not waiting for that wave's health (see
   * {@link dev.tagflow.sync.SyncOperation}); this wait is not part of it and fails nothing: the
   * health step after it judges what it finds. The controller does not wait here: its health gate
   * judges over time.
   */
  void awaitSettled(ApplicationRun run) throws InterruptedException {
    long deadline = System.nanoTime() + run.options.waitTimeout().toNanos();
    while (true) {
      Health health = HealthStatus.aggregate(verdicts(run).values()).health();
      if ((health != Health.PROGRESSING && health != Health.MISSING)
          || System.nanoTime() - deadline >= 0) {
        return;
      }
      Thread.sleep(poll.toMillis());
    }
  }

  /** The verdict on each of the application's objects (hooks aside: they come and go). */
  private Map<ObjectRef, HealthStatus> verdicts(ApplicationRun run) {
    AppliedVersions applied = run.changes == null ? run.applied : run.applied.after(run.changes);
    Map<ObjectRef, HealthStatus> verdicts = new LinkedHashMap<>();
    for (GenericKubernetesResource object : run.desired) {
      if (!ApplicationSync.isHook(object)) {
        ObjectRef ref = placed(run, ObjectRef.of(object));
        verdicts.put(ref, verdict(ref, applied));
      }
    }
    return verdicts;
  }

  /** The worst health of the application's objects (hooks aside: they come and go). */
  private Optional<SyncFailure> assessHealth(ApplicationRun run) {
    Map<ObjectRef, HealthStatus> verdicts = verdicts(run);
    HealthStatus health = HealthStatus.aggregate(verdicts.values());
    run.objectHealth = Map.copyOf(verdicts);
    run.health = Optional.of(health);
    log.debug(
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

  /**
   * The object where it lands: a namespaced object that names no namespace goes to the
   * destination's (the kind's scope from discovery, as the renderer already defaulted most).
   */
  private ObjectRef placed(ApplicationRun run, ObjectRef ref) {
    if (!ref.namespace().isEmpty()) {
      return ref;
    }
    boolean namespaced =
        engine
            .cluster()
            .discovery()
            .find(ref.apiVersion(), ref.kind())
            .map(ApiResource::namespaced)
            .orElse(false);
    return namespaced ? ref.inNamespace(run.application.destination().namespace()) : ref;
  }

  /** The object's health, judged only on a live object at least as new as what was applied. */
  private HealthStatus verdict(ObjectRef ref, AppliedVersions applied) {
    return engine
        .live()
        .live(ref)
        .map(live -> applied.assess(ref, live, engine.health()))
        .orElseGet(
            () ->
                engine
                    .health()
                    .missing(new GroupKind(ref.group(), ref.kind()), ref.namespace(), ref.name()));
  }

  /** Live objects that cannot be read cannot be judged: Unknown, which never passes a gate. */
  private static SyncFailure healthFailed(TagflowException e) {
    return new SyncFailure.HealthCheckFailed(
        HealthStatus.unknown("cannot judge health: " + e.getMessage()));
  }
}
