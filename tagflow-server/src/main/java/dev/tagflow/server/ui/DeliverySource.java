package dev.tagflow.server.ui;

import dev.tagflow.promote.EnvRepoWriter;
import dev.tagflow.server.notify.Delivery;
import dev.tagflow.store.Store;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where the delivery pages (runs, releases, approvals, audit, charts, settings) read and act: the
 * server's store, its environment-repository writer (which decides approvals exactly as {@code
 * tagflow approvals approve} does), and the notifier's recent deliveries.
 *
 * @param store runs, built images, releases, promotion requests, sync history and the audit log
 * @param writer approves and rejects promotion requests; empty on a server without a pipeline (the
 *     inbox then says so instead of offering buttons)
 * @param deliveries the attempts to send notifications lately, newest first (from the store)
 */
public record DeliverySource(
    Store store, Optional<EnvRepoWriter> writer, Supplier<List<Delivery>> deliveries) {

  /** Notification attempts the settings page lists. */
  public static final int DELIVERIES_SHOWN = 50;

  public DeliverySource {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(writer, "writer");
    Objects.requireNonNull(deliveries, "deliveries");
  }

  /** The store alone: pages to read, no approvals, no notifications. */
  public static DeliverySource readOnly(Store store) {
    return new DeliverySource(store, Optional.empty(), List::of);
  }
}
