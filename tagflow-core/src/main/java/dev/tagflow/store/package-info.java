/**
 * Persistence: what Tagflow keeps across restarts, behind one interface, {@link
 * dev.tagflow.store.Store}, with one implementation on SQL databases, {@link
 * dev.tagflow.store.jdbc.JdbcStore}.
 *
 * <h2>What is stored</h2>
 *
 * <ul>
 *   <li><b>Status</b> ({@link dev.tagflow.store.StatusStore}): the controller's status of each
 *       application as one JSON document, with the version of its shape ({@code formatVersion},
 *       chosen by the writer), a {@code generation} that counts its writes, and when it was
 *       written. The store does not read the document: the reconcile package owns its shape.
 *   <li><b>Sync history</b> ({@link dev.tagflow.store.SyncHistory}): one {@link
 *       dev.tagflow.store.HistoryEntry} per sync — commit and requested ref, release, hash of the
 *       rendered manifests, the ChangeSet as JSON, what started it ({@link
 *       dev.tagflow.store.SyncTrigger}), result, health afterwards, start and end. Ids count from 1
 *       per application. The last {@code historyLimit} entries (10) are kept: recording one prunes
 *       the older ones in the same transaction. A sync may be recorded when it starts ({@code
 *       RUNNING}) and its outcome updated later; its revision, manifests, trigger and start never
 *       change.
 *   <li><b>Manifests</b> ({@link dev.tagflow.store.ManifestStore}): rendered manifests under their
 *       SHA-256, stored once however many entries use them (ten syncs of an unchanged application
 *       cost one copy). Put the manifests, then record the entry that names their hash: recording
 *       an entry whose manifests are not stored is refused. Pruning history removes the manifests
 *       no remaining entry uses; {@code collectGarbage(putBefore)} removes those put and never
 *       recorded.
 *   <li><b>Releases</b> ({@link dev.tagflow.store.ReleaseStore}): {@link
 *       dev.tagflow.release.Release} records, written once. Writing the same release again changes
 *       nothing; writing different content under a stored id is refused.
 *   <li><b>Events</b> ({@link dev.tagflow.store.EventLog}): per application, time, {@code
 *       Normal}/{@code Warning}, reason and message; the latest {@code eventLimit} (200) kept.
 *   <li><b>The differ's memo</b> ({@link dev.tagflow.store.DiffMemo}): bytes per key, read and
 *       written in bulk, so that a restart in steady state pays no dry-run for an object whose
 *       desired hash and live resourceVersion did not change; values not written for a while are
 *       removed with {@code removeWrittenBefore}, all but the newest with {@code keepNewest}. The
 *       store does not read the values: {@code diff.StoredVerdicts} owns their shape.
 *   <li><b>Operations in flight</b> ({@link dev.tagflow.store.OperationStore}): each running sync's
 *       saved state as bytes (the SyncState JSON), saved after every step and cleared when it ends;
 *       at start the controller resumes each one {@code inFlight()} lists, or marks it failed with
 *       the reason.
 *   <li><b>Secrets</b> ({@link dev.tagflow.store.SecretStore}): per scope and name, bytes the
 *       {@code secret} package sealed before writing (the store never sees a value in clear), and
 *       when each was last set; {@code list()} returns scope, name and time only.
 *   <li><b>Promotion requests</b> ({@link dev.tagflow.store.PromotionStore}): promotions waiting
 *       for approval ({@link dev.tagflow.store.PromotionDraft}: release, environment, values, the
 *       branch holding the change), their state (pending, approved, rejected, merged, superseded)
 *       and approvals, one per approver. Ids count from 1 across all requests. Creating a request
 *       supersedes the pending ones of the same repository and environment in the same transaction;
 *       a state changes only from the state the caller saw, so of two callers one merges. Migration
 *       {@code V3__promotions.sql}.
 *   <li><b>Pipeline runs</b> ({@link dev.tagflow.store.RunStore}): one {@link
 *       dev.tagflow.store.RunRecord} per run (migration V5), written when it starts and when it
 *       ends, its jobs and steps as one JSON document the pipeline package shapes, its log a file
 *       in the data directory. {@code markInterrupted} turns the runs left {@code RUNNING} by a
 *       stopped server into {@code INTERRUPTED}. A run that waits for a slot is stored {@code
 *       QUEUED} first, with its request (V6, column {@code request}); starting it turns that row
 *       {@code RUNNING} (an upsert only a queued row accepts), and {@code queuedRuns} gives them
 *       back after a restart.
 *   <li><b>Built images</b> ({@link dev.tagflow.store.BuiltImageStore}, V6): the images a run's
 *       {@code tagflow/image} steps pushed, tag → commit → digest; {@link
 *       dev.tagflow.store.ReleaseStore#deployedWith} links a digest to the applications whose sync
 *       history links a Release holding it.
 *   <li><b>Added repositories</b> ({@link dev.tagflow.store.RepositoryStore}, V8): the repositories
 *       added over the API, by {@code owner/name}: URL (without credentials), user name and the
 *       name of the secret they log in with ({@code kind/scope/NAME}), never a value; who added
 *       them and when. A name or URL is added once: a second add changes nothing.
 *   <li><b>Notification attempts</b> ({@link dev.tagflow.store.NotificationLog}, V9): each request
 *       sent to a webhook (event, subject, webhook by name — never its URL nor its key —, attempt
 *       number, outcome, HTTP status or error, time), and each notification dropped unsent; the
 *       newest N per webhook kept (the caller says N; recording prunes in the same transaction).
 * </ul>
 *
 * <p>Times are kept to the millisecond. {@link dev.tagflow.store.Store#forget(String)} removes
 * everything of an application but its releases.
 *
 * <h2>Where it is stored</h2>
 *
 * <p>{@link dev.tagflow.store.DatabaseUrl} reads the server configuration's {@code database:}:
 *
 * <ul>
 *   <li>{@code jdbc:sqlite:<path>} — a SQLite file; the default is {@code <dataDir>/tagflow.db}.
 *       The directory must exist. Tagflow sets SQLite up for a server: WAL journal (readers never
 *       wait for the writer, a killed process loses no committed write), {@code synchronous=NORMAL}
 *       (only a power loss may lose the last transactions), foreign keys on, a busy timeout (10 s)
 *       for another process holding the file, and one writer: writes go through one connection in
 *       turn, each transaction holding the write lock from its start, so a write never fails with
 *       {@code SQLITE_BUSY} half-way. Reads run in parallel on their own connections.
 *   <li>{@code jdbc:postgresql://host:5432/<database>} — PostgreSQL, for several replicas or an
 *       existing server; the user and password may be given in the URL ({@code ?user=…&password=…})
 *       or in {@link dev.tagflow.store.StoreOptions}. A server that does not answer fails the start
 *       after {@code connectTimeout} (10 s). Several Tagflows may share one database, as long as
 *       one of them writes a given application's history and events at a time (ids are counted per
 *       application: two writers of the same application at once make one of them fail).
 * </ul>
 *
 * <p>A password never appears in a message or a log: {@link
 * dev.tagflow.store.DatabaseUrl#redacted()} shows {@code password=***}, and the store scrubs
 * drivers' and Flyway's messages of it.
 *
 * <h2>Schema</h2>
 *
 * <p>The schema is Flyway's migrations in {@code db/migration} ({@code V1__store.sql}, …), one set
 * for both databases: the only difference, the type of byte columns, is the placeholder {@code
 * ${binary}} ({@code BLOB} on SQLite, {@code BYTEA} on PostgreSQL). Times are epoch milliseconds
 * and ids are counted by the store, so no auto-increment syntax is needed. Opening the store
 * applies the migrations the database lacks (none when it is up to date). A database that a newer
 * Tagflow has migrated further is refused, with both versions in the message, and left as it is.
 *
 * <h2>Failures</h2>
 *
 * <p>Each write is one transaction: a process killed in the middle leaves it done or not done.
 * Every failure is a {@link dev.tagflow.TagflowException} saying what the store tried, on which
 * database (without the password) and why: a wrong URL, an unreachable server or wrong credentials
 * fail {@code JdbcStore.open} with what to check.
 */
package dev.tagflow.store;
