package dev.tagflow.store;

import java.util.Objects;

/**
 * One recorded sync of an application.
 *
 * @param application the application's name
 * @param id counts the application's syncs from 1 and is never reused while the application is
 *     known, so {@code web-production 7} names one sync (a rollback target, a UI link)
 * @param sync what the sync did
 */
public record HistoryEntry(String application, long id, SyncRecord sync) {
  public HistoryEntry {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(sync, "sync");
  }
}
