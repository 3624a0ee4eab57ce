package dev.tagflow.reconcile;

import dev.tagflow.TagflowException;
import dev.tagflow.health.Health;
import dev.tagflow.health.HealthStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's health as its sync history keeps it: the verdict after its last sync as it
 * settles (what the rollback policy reads to find the last Healthy revision), and, once Healthy,
 * the image digests its Pods report, added to that sync's release.
 */
final class HealthHistory {

  private static final Logger log = LoggerFactory.getLogger(HealthHistory.class);

  private final SyncRecords records;

  HealthHistory(SyncRecords records) {
    this.records = records;
  }

  /** Records the application's health on the history entry of its last sync, as it settles. */
  void recordAfterSync(AppRuntime rt, ApplicationSync sync, HealthStatus health, Instant now) {
    Optional<ApplicationStatus.Operation> last = rt.status.operation();
    if (last.isEmpty() || !last.get().phase().isFinal()) {
      return;
    }
    String verdict = health.health().displayName();
    long id = last.get().historyId();
    if (id == rt.healthRecordedFor && verdict.equals(rt.healthRecorded)) {
      return;
    }
    try {
      records.healthAfter(rt.name, id, verdict);
      rt.healthRecordedFor = id;
      rt.healthRecorded = verdict;
      if (health.health() == Health.HEALTHY) {
        recordLiveDigests(rt, sync, id, now);
      }
    } catch (TagflowException e) {
      // History is for people; a store that refuses now is told in the log and asked again.
      log.warn(
          "application={} could not record its health after sync #{}: {}",
          rt.name,
          id,
          e.getMessage());
    }
  }

  /**
   * Once the application is Healthy after a sync its Pods run the images it deployed: the digests
   * they report are added to the sync's release (as a new release, linked instead); for an image no
   * Pod reports a digest of, the one recorded when Tagflow's pipeline pushed that image:tag.
   */
  private void recordLiveDigests(AppRuntime rt, ApplicationSync sync, long id, Instant now) {
    try {
      var references = records.undigested(rt.name, id);
      if (references.isEmpty()) {
        return;
      }
      var digests =
          new LinkedHashMap<>(
              PodDigests.of(
                  sync.engine().cluster(), rt.application.destination().namespace(), references));
      // Pods that report no imageID (kwok's, some runtimes'): the digest Tagflow's own runs got
      // when they pushed that image:tag, if one did.
      var unreported = new LinkedHashSet<>(references);
      unreported.removeAll(digests.keySet());
      var built = records.builtDigests(unreported);
      digests.putAll(built);
      records
          .withLiveDigests(rt.name, id, digests, now)
          .ifPresent(
              release ->
                  log.info(
                      "application={} sync #{} release={} with the digests its Pods report{}",
                      rt.name,
                      id,
                      release,
                      built.isEmpty() ? "" : " and, for " + built.keySet() + ", its runs pushed"));
    } catch (TagflowException e) {
      // A cluster or store failure (ClusterException is one). The digests are for people reading
      // the release; asked again after the next sync.
      log.warn(
          "application={} could not read the digests its Pods report after sync #{}: {}",
          rt.name,
          id,
          e.getMessage());
    }
  }
}
