package dev.tagflow.reconcile;

import dev.tagflow.TagflowException;
import dev.tagflow.apply.Action;
import dev.tagflow.apply.ChangeSet;
import dev.tagflow.apply.ChangeSetEntry;
import dev.tagflow.apply.ResourceManager;
import dev.tagflow.cluster.ClusterException;
import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.inventory.Inventory;
import dev.tagflow.inventory.PruneOptions;
import dev.tagflow.inventory.PrunePlan;
import dev.tagflow.inventory.PrunePlanner;
import dev.tagflow.store.Store;
import dev.tagflow.sync.SyncEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes an application the registry dropped: abandons its running sync, deletes its objects when
 * its policy prunes (from its inventory, read from the cluster; never an object that no longer
 * carries its tracking id or is annotated {@code tagflow.dev/prune: "false"}), then forgets its
 * status, history and events. Without prune its objects and inventory stay, so registering it again
 * adopts them.
 *
 * <p>An object whose deletion fails, or that cannot be read, keeps the application's inventory and
 * the removal is tried again with backoff: nothing it owned is forgotten while it still exists.
 */
final class ApplicationRemoval {

  private static final Logger log = LoggerFactory.getLogger(ApplicationRemoval.class);

  private final Destinations destinations;
  private final Store store;
  private final StatusBoard board;
  private final SyncRunner runner;
  private final ReconcilerOptions options;
  private final RandomGenerator random;

  ApplicationRemoval(
      Destinations destinations,
      Store store,
      StatusBoard board,
      SyncRunner runner,
      ReconcilerOptions options,
      RandomGenerator random) {
    this.destinations = destinations;
    this.store = store;
    this.board = board;
    this.runner = runner;
    this.options = options;
    this.random = random;
  }

  /**
   * Removes the application.
   *
   * @return empty once it is gone; otherwise when to try again
   */
  Optional<Duration> run(AppRuntime rt) {
    if (rt.operation != null) {
      runner.abandon(rt);
    }
    if (rt.removal == AppRuntime.Removal.PRUNE_OBJECTS) {
      Optional<String> failure = prune(rt);
      if (failure.isPresent()) {
        int attempt = ++rt.errorRetries;
        Duration delay =
            options.errorBackoff().delay(attempt, random).orElse(options.resyncInterval());
        log.warn(
            "application={} removal not finished ({}); trying again in {} s",
            rt.name,
            failure.get(),
            delay.toSeconds());
        return Optional.of(delay);
      }
    }
    try {
      store.forget(rt.name);
    } catch (TagflowException e) {
      // Its objects are dealt with; what the store still holds is asked again next time.
      log.warn("application={} could not be forgotten by the store: {}", rt.name, e.getMessage());
      return Optional.of(options.errorBackoff().base(1));
    }
    board.remove(rt.name);
    log.info(
        "application={} removed{}",
        rt.name,
        rt.removal == AppRuntime.Removal.PRUNE_OBJECTS
            ? " with its objects"
            : "; its objects are left in the cluster");
    return Optional.empty();
  }

  /** Deletes what the application owns; answers what stopped it, if anything did. */
  private Optional<String> prune(AppRuntime rt) {
    ApplicationSync sync;
    try {
      sync = destinations.syncFor(rt.application);
    } catch (ClusterException e) {
      return Optional.of(e.getMessage());
    } catch (TagflowException e) {
      // No cluster answers to that name: nothing Tagflow can reach holds its objects.
      log.warn(
          "application={} has no destination Tagflow can reach ({}); nothing was deleted",
          rt.name,
          e.getMessage());
      return Optional.empty();
    }
    try {
      SyncEngine engine = sync.engine();
      ClusterGateway cluster = engine.cluster();
      Inventory owned = engine.inventories().load(rt.name);
      // Read from the API server, not the cache: only the server's word that an object is gone
      // lets it leave the inventory.
      PrunePlan plan =
          new PrunePlanner(cluster)
              .plan(owned, List.of(), PruneOptions.enabled().withConfirmed(true));
      if (!(plan instanceof PrunePlan.Ready ready)) {
        return Optional.of("the prune was not confirmed");
      }
      ChangeSet changes =
          PrunePlanner.execute(ready, new ResourceManager(cluster, cluster), rt.name, false);
      List<ObjectRef> left = new ArrayList<>();
      for (ChangeSetEntry entry : changes.entries()) {
        if (entry.action() == Action.FAILED) {
          left.add(entry.object());
        }
      }
      log.info("application={} pruned on removal: {}", rt.name, changes.summary());
      if (!left.isEmpty()) {
        engine.inventories().save(Inventory.of(rt.name, left));
        return Optional.of(left.size() + " objects could not be deleted: " + left);
      }
      engine.inventories().delete(rt.name);
      return Optional.empty();
    } catch (ClusterException e) {
      return Optional.of(e.getMessage());
    }
  }
}
