package dev.tagflow.store;

/**
 * Everything Tagflow keeps across restarts, in one database: statuses, sync history, manifests,
 * releases, events, the differ's memo, operations in flight, sealed secrets and notification
 * attempts.
 *
 * <p>Every method is safe to call from many threads at once. Each write is one transaction: a
 * process killed in the middle of one leaves it either done or not done.
 */
public interface Store extends AutoCloseable {

  /** The controller's status document per application. */
  StatusStore statuses();

  /** What each sync did, the last few per application. */
  SyncHistory history();

  /** Rendered manifests by their SHA-256. */
  ManifestStore manifests();

  /** Releases, written once. */
  ReleaseStore releases();

  /** The event log per application. */
  EventLog events();

  /** The differ's memo. */
  DiffMemo memo();

  /** Sync operations in flight, for resuming after a crash. */
  OperationStore operations();

  /** Secrets, sealed before they are stored. */
  SecretStore secrets();

  /** Promotion requests waiting for approval, and what became of them. */
  PromotionStore promotions();

  /** Pipeline runs. */
  RunStore runs();

  /** API tokens, local users and web sessions (digests and hashes only). */
  AccessStore access();

  /** Who did what, when, from where. */
  AuditLog audit();

  /** The images pipeline runs pushed. */
  BuiltImageStore builtImages();

  /** The repositories added over the API. */
  RepositoryStore repositories();

  /** The attempts to deliver notifications, the last few per webhook. */
  NotificationLog notifications();

  /**
   * Removes everything kept for an application (status, history, events, operation in flight), in
   * one transaction, with the manifests no other history entry uses. Releases stay: they are
   * records of what was released, not of one application's state.
   */
  void forget(String application);

  /**
   * Lets go of what the connections cache for reading (SQLite's pages), for a server gone quiet;
   * nothing when they are in use. The data stays, and the next reads fill the caches again.
   */
  void releaseCaches();

  /** Closes the connections; the data stays. */
  @Override
  void close();
}
