package dev.tagflow.reconcile;

import dev.tagflow.store.Event;

/** One change a subscriber of {@link ApplicationStatuses} hears. */
public sealed interface StatusChange {

  /** The application it is about. */
  String application();

  /** The application's status changed (anything but the time it was last compared). */
  record Updated(ApplicationStatus status) implements StatusChange {
    @Override
    public String application() {
      return status.application();
    }
  }

  /** The application was removed, and its status with it. */
  record Removed(String application) implements StatusChange {}

  /**
   * Something happened to the application.
   *
   * @param revision the revision it happened at, as the event's log line says it ({@code ?} when
   *     none is known)
   */
  record Recorded(Event event, String revision) implements StatusChange {
    @Override
    public String application() {
      return event.application();
    }
  }
}
