package dev.tagflow.sync;

import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.cluster.LiveLookup;
import dev.tagflow.diff.Differ;
import dev.tagflow.health.HealthRegistry;
import dev.tagflow.inventory.InventoryStore;
import java.time.Clock;

/**
 * What every sync against one cluster shares, kept for as long as the connection: the gateway,
 * where live objects are read (a {@code LiveStateCache} in a controller), the inventories, the
 * health checks, and a {@link Differ} whose memory of earlier comparisons lets a sync skip the
 * dry-run of objects that did not change on either side.
 */
public record SyncEngine(
    ClusterGateway cluster,
    LiveLookup live,
    InventoryStore inventories,
    HealthRegistry health,
    Differ differ,
    Clock clock) {

  /** An engine reading live objects from {@code live}, inventories in {@code tagflow-system}. */
  public static SyncEngine of(ClusterGateway cluster, LiveLookup live, HealthRegistry health) {
    return new SyncEngine(
        cluster,
        live,
        new InventoryStore(cluster, InventoryStore.DEFAULT_NAMESPACE),
        health,
        new Differ(cluster, live),
        Clock.systemUTC());
  }
}
