package dev.tagflow.store.jdbc;

import dev.tagflow.store.AccessStore;
import dev.tagflow.store.AuditLog;
import dev.tagflow.store.BuiltImageStore;
import dev.tagflow.store.DiffMemo;
import dev.tagflow.store.EventLog;
import dev.tagflow.store.ManifestStore;
import dev.tagflow.store.NotificationLog;
import dev.tagflow.store.OperationStore;
import dev.tagflow.store.PromotionStore;
import dev.tagflow.store.ReleaseStore;
import dev.tagflow.store.RepositoryStore;
import dev.tagflow.store.RunStore;
import dev.tagflow.store.SecretStore;
import dev.tagflow.store.StatusStore;
import dev.tagflow.store.Store;
import dev.tagflow.store.StoreOptions;
import dev.tagflow.store.SyncHistory;

/** The store on a SQL database through JDBC: SQLite or PostgreSQL, its schema kept by Flyway. */
public final class JdbcStore implements Store {

  private final Database database;
  private final StatusStore statuses;
  private final SyncHistory history;
  private final ManifestStore manifests;
  private final ReleaseStore releases;
  private final EventLog events;
  private final DiffMemo memo;
  private final OperationStore operations;
  private final SecretStore secrets;
  private final PromotionStore promotions;
  private final RunStore runs;
  private final AccessStore access;
  private final AuditLog audit;
  private final BuiltImageStore builtImages;
  private final RepositoryStore repositories;
  private final NotificationLog notifications;

  private JdbcStore(Database database, StoreOptions options) {
    this.database = database;
    this.statuses = new JdbcStatuses(database, options.clock());
    this.history = new JdbcHistory(database, options.historyLimit());
    this.manifests = new JdbcManifests(database, options.clock());
    this.releases = new JdbcReleases(database);
    this.events = new JdbcEvents(database, options.eventLimit());
    this.memo = new JdbcMemo(database, options.clock());
    this.operations = new JdbcOperations(database, options.clock());
    this.secrets = new JdbcSecrets(database, options.clock());
    this.promotions = new JdbcPromotions(database, options.clock());
    this.runs = new JdbcRuns(database);
    this.access = new JdbcAccess(database);
    this.audit = new JdbcAudit(database);
    this.builtImages = new JdbcBuiltImages(database);
    this.repositories = new JdbcRepositories(database);
    this.notifications = new JdbcNotifications(database);
  }

  /**
   * Opens the store: connects, brings the schema to this version (creating it in a new database),
   * and answers once it is ready.
   *
   * @throws dev.tagflow.TagflowException when the database cannot be reached or opened, or was
   *     written by a newer Tagflow: one message naming the URL without its password and what to do
   */
  public static JdbcStore open(StoreOptions options) {
    return new JdbcStore(Database.open(options), options);
  }

  @Override
  public StatusStore statuses() {
    return statuses;
  }

  @Override
  public SyncHistory history() {
    return history;
  }

  @Override
  public ManifestStore manifests() {
    return manifests;
  }

  @Override
  public ReleaseStore releases() {
    return releases;
  }

  @Override
  public EventLog events() {
    return events;
  }

  @Override
  public DiffMemo memo() {
    return memo;
  }

  @Override
  public OperationStore operations() {
    return operations;
  }

  @Override
  public SecretStore secrets() {
    return secrets;
  }

  @Override
  public PromotionStore promotions() {
    return promotions;
  }

  @Override
  public RunStore runs() {
    return runs;
  }

  @Override
  public AccessStore access() {
    return access;
  }

  @Override
  public AuditLog audit() {
    return audit;
  }

  @Override
  public BuiltImageStore builtImages() {
    return builtImages;
  }

  @Override
  public RepositoryStore repositories() {
    return repositories;
  }

  @Override
  public NotificationLog notifications() {
    return notifications;
  }

  @Override
  public void forget(String application) {
    database.write(
        "forget application " + application,
        connection -> {
          JdbcHistory.removeAll(connection, application);
          JdbcEvents.removeAll(connection, application);
          JdbcStatuses.delete(connection, application);
          JdbcOperations.clear(connection, application);
          return null;
        });
  }

  @Override
  public void releaseCaches() {
    database.releaseCaches();
  }

  @Override
  public void close() {
    database.close();
  }
}
