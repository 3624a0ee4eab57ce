/**
 * Syncing an application: applying Git's objects to a cluster in order, running hooks, waiting for
 * health, and pruning what Git no longer has.
 *
 * <h2>Order</h2>
 *
 * <p>A {@link dev.tagflow.sync.SyncPlan} puts every object in a step: first by phase (PreSync →
 * Sync → PostSync; SyncFail only when the sync fails), then by wave, then by kind (Namespaces,
 * Secrets, ConfigMaps, CRDs, RBAC, Services, workloads, …, custom resources last), then by name. A
 * Namespace or CRD moves up to the first step that needs it.
 *
 * <ul>
 *   <li>Waves: {@code tagflow.dev/sync-wave: "2"}, or Argo CD's {@code
 *       argocd.argoproj.io/sync-wave}, or Helm's {@code helm.sh/hook-weight} on hooks; default 0.
 *   <li>Hooks: {@code tagflow.dev/hook} or {@code argocd.argoproj.io/hook} ({@code PreSync}, {@code
 *       Sync}, {@code PostSync}, {@code SyncFail}, {@code Skip}); Helm's {@code pre-install}/{@code
 *       pre-upgrade} run as PreSync, {@code post-install}/{@code post-upgrade} as PostSync, other
 *       Helm hooks (tests, deletion, rollback) are not run.
 *   <li>Hook deletion: {@code HookSucceeded}, {@code HookFailed}, {@code BeforeHookCreation} (the
 *       default), or Helm's {@code hook-succeeded}, {@code hook-failed}, {@code
 *       before-hook-creation}.
 *   <li>Hook names: a hook may have {@code metadata.generateName} instead of a name ({@code
 *       generateName: db-migrate-}). It is then created with a create call (server-side apply needs
 *       a name), a fresh object each sync; the name the server generated is kept in the {@link
 *       dev.tagflow.sync.SyncState}, so a resumed sync waits for the same object. {@code
 *       BeforeHookCreation} deletes the earlier runs of the same hook of the same application,
 *       found by the tracking label and annotation ({@code tagflow.dev/tracking-id:
 *       <app>:batch/Job:shop/db-migrate-}). An object that is not a hook must have a name.
 * </ul>
 *
 * <h2>Running</h2>
 *
 * <p>A {@link dev.tagflow.sync.SyncOperation} advances one step per call of {@code step()}: it
 * applies the step (server-side apply, field manager {@code tagflow}; unchanged objects are not
 * sent), starts its hooks and deletes its stale objects, then waits until every object of the step
 * is Healthy and every hook has completed. While it waits, its state's message says what blocks it
 * ({@code wave 2 waits for Deployment shop/db: Progressing, 1/3 replicas available}).
 *
 * <p>When a step fails (an apply, a hook, a timeout), the sync runs its SyncFail hooks, wave by
 * wave, and waits for them as for any hook (the same timeout); only then does it end {@link
 * dev.tagflow.sync.SyncStatus#FAILED}, its message saying why and what each SyncFail hook came to
 * ({@code PreSync wave 0 failed: hook Job/shop/migrate: Job failed: …; SyncFail hook
 * Job/shop/alert-x7k2p succeeded}). A dry-run runs no hook. The {@link dev.tagflow.sync.SyncState}
 * it returns can be saved; an operation built from a saved state resumes where it stopped.
 *
 * <h2>Pruning</h2>
 *
 * <p>What an application owns is kept in its inventory (a ConfigMap in {@code tagflow-system}).
 * Objects in the inventory and no longer in Git are deleted only with prune on, in their own wave
 * or last with PruneLast, never when annotated {@code tagflow.dev/prune: "false"}; a sync that
 * would delete more than half of the application's objects stops before changing anything and asks
 * for confirmation.
 */
package dev.tagflow.sync;
