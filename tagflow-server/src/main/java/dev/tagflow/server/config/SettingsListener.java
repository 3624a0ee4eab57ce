package dev.tagflow.server.config;

/**
 * A part of the server that follows the settings file while it runs: the poller and the webhooks
 * (repositories) now; the controller (clusters, application folders, projects, reconcile pacing)
 * when it lands.
 *
 * <p>Called with each valid new version that differs from the running one, on the watcher's one
 * thread, one change at a time and in order, so an implementation needs no locking of its own
 * against other changes. Listen address, data directory, database and secret files are never
 * changed at runtime: a change there is reported as needing a restart instead.
 */
@FunctionalInterface
public interface SettingsListener {

  /**
   * Applies a change. A failure to apply it is thrown, as a {@code RuntimeException}, so that the
   * watcher logs it and shows it in the server's status; the other listeners still get the change.
   */
  void settingsChanged(SettingsChange change);
}
