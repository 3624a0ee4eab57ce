/**
 * Reconcile: bringing clusters to what Applications' Git sources say, once by hand or all the time
 * as a controller.
 *
 * <h2>The steps</h2>
 *
 * <p>{@link dev.tagflow.reconcile.ApplicationSync} takes one Application through named {@link
 * dev.tagflow.reconcile.Step}s over one {@link dev.tagflow.reconcile.ApplicationRun}: {@code
 * source} (resolve the target revision) → {@code render} → {@code diff} or {@code sync} → {@code
 * health}. The first step that fails stops the run with its typed {@link
 * dev.tagflow.reconcile.SyncFailure} ({@code SourceFailed}, {@code RenderFailed}, {@code
 * ComparisonFailed}, {@code SyncFailed}, {@code NeedsConfirmation}, {@code HealthCheckFailed}).
 * {@code tagflow diff} and {@code tagflow sync} run them once and wait; the controller runs the
 * same steps from its queue and advances a sync one wave per event instead of waiting.
 *
 * <p>{@link dev.tagflow.reconcile.SyncOptionsMapping} turns the Application's {@code syncPolicy}
 * and {@code ignoreDifferences} into the sync engine's options, refusing by name what the engine
 * cannot honour; {@link dev.tagflow.reconcile.DestinationContext} says which kubeconfig context a
 * destination means ({@code local}: the current one).
 *
 * <h2>The controller</h2>
 *
 * <p>{@link dev.tagflow.reconcile.Reconciler} is the entry point. It runs the applications of an
 * {@link dev.tagflow.reconcile.ApplicationRegistry} (fed by {@link
 * dev.tagflow.reconcile.ApplicationFiles} for a directory, {@link
 * dev.tagflow.reconcile.GitApplications} for a folder in Git, parents' manifests for child
 * applications, and {@code add}/{@code update}/{@code unregister} for the API) against the clusters
 * of its {@link dev.tagflow.reconcile.Destinations} ({@link
 * dev.tagflow.reconcile.ClusterDestinations}: one watch-fed live-state cache and one differ per
 * kubeconfig context, clusters named by {@link dev.tagflow.reconcile.ClusterTarget}s, projects'
 * rules from a {@link dev.tagflow.reconcile.ProjectPolicy}). {@code Reconciler.owned} reads what an
 * application's workloads own there ({@link dev.tagflow.reconcile.OwnedObject}s by ownerReferences,
 * {@code OwnerTree}) for the UI's resource tree; {@code Reconciler.hardRefresh} makes the next
 * comparison fetch Git and render again.
 *
 * <h3>Queue</h3>
 *
 * <p>A keyed {@link dev.tagflow.reconcile.WorkQueue} on virtual threads: one reconcile per
 * application at a time, at most {@code concurrency} (8) at once; requests for a waiting
 * application collapse into one run, and requests that arrive while it runs make exactly one more
 * run afterwards. Delayed requests (retries, the self-heal grace, a wave's deadline, the periodic
 * resync) keep the earliest due time per application. Closing stops taking work and waits a bounded
 * time for running reconciles, each of which ends after its current sync step.
 *
 * <h3>Triggers</h3>
 *
 * <ul>
 *   <li>A ref change (webhook, Tagflow's Git server, the poller) reconciles the applications that
 *       read that repository, as source or chart, matched by URL without credentials, trailing
 *       slash or {@code .git}.
 *   <li>A watched object added, changed or deleted reconciles the application named by its {@code
 *       tagflow.dev/tracking-id} annotation; that is also what advances a running sync, one {@code
 *       SyncOperation.step()} per event, never by sleeping between polls.
 *   <li>The periodic resync (3 min, brought forward by up to 10 %), a dependency whose status
 *       changed, the registry adding or changing the application, and a person ({@code refresh},
 *       {@code sync}, {@code rollback}).
 * </ul>
 *
 * <h3>What a reconcile costs</h3>
 *
 * <p>An application whose inputs did not change (the same render key: the tree ids of its path,
 * chart and values, and the target) is not rendered again: its last objects are reused. Comparing
 * them reads live objects and the inventory from the live-state cache, and the differ remembers
 * each comparison by desired hash and live resourceVersion, so a steady-state resync sends no
 * request to the API server and no dry-run. A commit elsewhere in the repository costs a ref
 * resolution and the tree ids, nothing more.
 *
 * <p>A periodic resync of an application that nothing stirred since its last full reconcile (no
 * event on its objects or its repository, no request, no change of its Application or of a
 * dependency), which ended in sync with nothing pending but the resync, is skipped: Git and the
 * live objects are as last compared, so nothing is read, rendered or written ({@code
 * tagflow_reconcile_resyncs_skipped_total}). Every tenth resync compares in full anyway, a safety
 * net under the events; the first reconcile after a start always does, so a change made while
 * Tagflow was stopped is found.
 *
 * <h3>Automation</h3>
 *
 * <ul>
 *   <li>{@code automated}: when Git moved (the render key differs from the one deployed) and the
 *       cluster differs, sync ({@code AUTOMATION}). Not for a commit marked blocked (the rollback
 *       policy's mark, {@code blockRevision}), not while a dependency is not ready, and a failed
 *       sync of a revision is retried only as {@code syncPolicy.retry} says (exponential backoff,
 *       shortened by up to 20 % jitter, never beyond {@code maxDuration}); after that, when Git
 *       moves again or a person syncs.
 *   <li>{@code selfHeal}: when the cluster differs and Git did not move, the drift is healed
 *       ({@code SELF_HEAL}) once it is older than the grace period (5 s): a burst of edits heals
 *       once. Without {@code selfHeal} the drift is reported and left: the application is
 *       OutOfSync, each drifted object lists its fields and who wrote them (from {@code
 *       managedFields}: {@code spec.replicas (by kubectl (scale))}), and a {@code Drift} warning
 *       and a {@code DriftDetected} event say so. Before drift is believed, the cache is checked
 *       against the API server for the differing objects, so a sync's own writes not yet seen are
 *       never taken for drift.
 *   <li>{@code dependsOn}: an application syncs only once each dependency is Synced and Healthy
 *       with no sync running; until then a {@code DependencyNotReady} warning names each one and
 *       why ({@code waits for 'db' is Synced and Progressing (…)}), and the dependency's next
 *       status change reconciles it.
 *   <li>A sync is done when its last wave is applied and its hooks have finished; health afterwards
 *       is the application's own status (Synced and Progressing is fine): the last wave's objects
 *       are not awaited, as in Argo CD. Each wave before it is awaited until Healthy, judged on the
 *       objects as the API server has them, not the cache, so a rollout is not called healthy
 *       before it started.
 * </ul>
 *
 * <h3>Status and events</h3>
 *
 * <p>{@link dev.tagflow.reconcile.ApplicationStatuses} is the one read interface (get, list,
 * events, history, source problems, and a subscription to {@link
 * dev.tagflow.reconcile.StatusChange}s). An {@link dev.tagflow.reconcile.ApplicationStatus} holds
 * the sync status (Synced, OutOfSync, Unknown) with the revision compared, what is deployed (the
 * revision and render key of the last sync, or of a comparison that found the cluster matching),
 * the health with the worst objects' message, the running or last sync (phase, step, what it waits
 * for, its ChangeSet), conditions (errors and warnings by reason), every object's sync, health and
 * drift, and automation (the policy, whether a rollback turned it off, the blocked commits). It is
 * stored as JSON (format 1) in the store's {@code StatusStore} whenever it changes in more than the
 * time it was compared, so a steady state writes nothing; events go to the store's {@code EventLog}
 * and are logged as one line each with the application and revision.
 *
 * <h3>History and rollback</h3>
 *
 * <p>Every sync is recorded in the store's {@code SyncHistory} when it starts (revision, trigger,
 * the rendered manifests in the content-addressed {@code ManifestStore}) and when it ends (result,
 * ChangeSet, message); the application's health afterwards is added as it settles. The store keeps
 * the last 10. {@code rollback(app, id)} applies exactly the manifests recorded by that entry as a
 * sync started by a person, and turns automated sync off for the application, in its stored status,
 * until {@code enableAutomation(app)}.
 *
 * <p>Each entry links its release (the {@code release} package's {@code ReleaseReader}: the tag at
 * the commit, the commit, the images of the Pod templates with their digests, the Helm chart, the
 * manifests' hash; the id derives from that content). Once the application is Healthy after the
 * sync, the digests its Pods report are added as a new release the entry links instead ({@link
 * dev.tagflow.reconcile.PodDigests}); for an image no Pod reports one of (kwok's Pods report no
 * {@code imageID}), the digest the pipeline recorded when it pushed that {@code image:tag}.
 *
 * <h3>Health-gated rollback</h3>
 *
 * <p>With {@code syncPolicy.rollback}, {@link dev.tagflow.reconcile.HealthGate} judges every sync
 * that deploys Git (automated or a person's; not heals nor rollbacks): the application must be
 * Healthy within {@code healthTimeout} of the sync's start, and with {@code onDegraded} must not
 * stay Degraded for 60 s (a Pod may crash once while a dependency starts; a new HPA waiting for its
 * Pods' first metrics is Progressing, not Degraded; Progressing never fails before the timeout).
 * Since a sync ends without waiting for its last wave's health, the gate is what judges it, and
 * only on live objects at least as new as what the sync wrote ({@link
 * dev.tagflow.reconcile.AppliedVersions}: an object the cache still holds from before the apply is
 * Progressing). The {@code HealthGate} condition says it watches; a sync that passed is judged no
 * more, unless {@code onDegradedAfterHealthy} keeps it watched ({@code HealthWatch}) for a lasting
 * Degraded until the next sync. A sync that fails — a running one still waiting for an earlier
 * wave's health or a hook at the deadline is stopped first — is handled by {@link
 * dev.tagflow.reconcile.PolicyRollback}: its commit is blocked for automated sync, the newest
 * earlier sync that ended Healthy is applied again exactly ({@code ROLLBACK_POLICY}; automation
 * stays on), and with {@code revertCommit} the source's {@code GitRevert} pushes a commit that puts
 * the application's path back to the good commit (a revert, or the good files when a revert does
 * not apply). Events {@code HealthGateFailed}, {@code RevisionBlocked}, {@code RollbackStarted},
 * {@code RevertCommitted} / {@code RevertFailed}, and the {@code RolledBack} condition until a
 * later sync passes the gate.
 *
 * <h3>Registry and removal</h3>
 *
 * <p>A source hands the registry all its applications at once; an invalid file is a problem of that
 * file alone (its applications keep running as last read), a name registered by another source is
 * refused for the second. Removing an application whose policy prunes (or that carries Argo CD's
 * resources finalizer) deletes its objects from its inventory, read from the API server (never an
 * object that lost its tracking id or is annotated {@code tagflow.dev/prune: "false"}), then
 * forgets its status, history and events; without prune its objects stay. An update that would
 * remove more than half of a source's applications, and more than one, is held until confirmed: the
 * deletion circuit breaker at the scale of applications.
 *
 * <h3>App of apps</h3>
 *
 * <p>{@link dev.tagflow.reconcile.GitApplications} reads every Application file under a path of a
 * repository at a revision, at any depth, and again when the repository's refs move; a file that
 * does not load is its own problem ({@code path:line:column}), its applications kept as last read.
 * A folder missing at a commit is an empty one: the breaker holds it. Applications among an
 * application's rendered manifests (either API group) are its children ({@link
 * dev.tagflow.reconcile.ChildApplications}): registered under the source {@code app:<parent>}
 * instead of applied, removed with the parent or when it stops rendering them; a child naming its
 * parent or an ancestor, or deeper than 5 levels, is refused ({@code ChildApplicationRefused} on
 * the parent). {@code ApplicationStatuses.lineage} shows each application's source, parent and
 * children.
 *
 * <h3>Projects</h3>
 *
 * <p>Before a run, the destination's namespace, and after the render every namespace a rendered
 * object names, must be allowed by the application's project ({@link
 * dev.tagflow.reconcile.ProjectPolicy}); a refusal is a {@code ProjectDenied} condition and nothing
 * is applied. The project's health rules judge its objects.
 *
 * <h3>Sync windows</h3>
 *
 * <p>The sync windows that apply to the application ({@code Destinations.syncWindows}: its
 * project's that select it and its environment's from {@link
 * dev.tagflow.reconcile.EnvironmentWindows}, combined by {@code SyncWindows.and} and evaluated by
 * {@link dev.tagflow.schedule.SyncWindows}; windows that cannot be read keep syncs closed) hold
 * automated sync and self-heal while they keep syncs closed: a {@code SyncWindowClosed} condition
 * names the window and the next opening, one event records it, and the application is reconciled at
 * that opening. {@code Reconciler.sync} and {@code rollback} refuse a person's sync unless a window
 * allows manual syncs ({@link dev.tagflow.reconcile.SyncWindowClosedException}); {@code
 * Reconciler.syncWindow} tells a client whether syncs are open and when they open next, {@code
 * Reconciler.syncWindows} which windows apply. A health-gated rollback is not held by a deny window
 * (unlike Argo CD): it finishes a change the windows already let in.
 *
 * <h3>Restarts</h3>
 *
 * <p>Statuses, history, events and the automation flags are read back from the store. Each running
 * sync is saved after every step through {@link dev.tagflow.reconcile.OperationCheckpoints}; with a
 * {@link dev.tagflow.reconcile.SyncStateCodec} ({@code tagflow server} uses the engine's versioned
 * JSON, {@code SyncStateCodec.json()}) it resumes after a restart from the step it had reached;
 * without one, or with a state it cannot read, it is marked failed ({@code SyncInterrupted}) and
 * the next reconcile decides again.
 */
package dev.tagflow.reconcile;
