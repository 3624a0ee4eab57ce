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
 * validates and applies the step (server-side apply, field manager {@code tagflow}; unchanged
 * objects are not sent), starts its hooks and deletes its stale objects, then waits until every
 * object of the step is Healthy (or Suspended) and every hook has completed. While it waits, its
 * state's message says what blocks it ({@code wave 2 waits for Deployment shop/db: Progressing, 1/3
 * replicas available}).
 *
 * <p>The last step of the plan waits for its hooks only, not for its objects' health: a sync is
 * done when its last wave is applied and its hooks have finished. The wait between steps exists for
 * what comes after (a later wave, a PostSync hook, which runs once the Sync waves are Healthy);
 * after the last step nothing does. An application whose last wave holds a Deployment that is slow,
 * or never becomes ready, ends its sync Succeeded and is Synced and Progressing (then Degraded at
 * its progress deadline), as Argo CD shows it; judging that health is the application's status and,
 * with {@code syncPolicy.rollback}, the health gate's business (see {@code dev.tagflow.reconcile}).
 *
 * <p>When a step fails (an apply, a hook, a timeout), the sync runs its SyncFail hooks, wave by
 * wave, and waits for them as for any hook (the same timeout); only then does it end {@link
 * dev.tagflow.sync.SyncStatus#FAILED}, its message saying why and what each SyncFail hook came to
 * ({@code PreSync wave 0 failed: hook Job/shop/migrate: Job failed: …; SyncFail hook
 * Job/shop/alert-x7k2p succeeded}). A dry-run runs no hook. The {@link dev.tagflow.sync.SyncState}
 * it returns can be saved as bytes ({@link dev.tagflow.sync.SyncStateJson}: JSON with a format
 * version, refused when written by a later version); an operation built from a saved state, in a
 * new process with a new client, resumes where it stopped: the prune decided at the start, the
 * changes so far with their failures, and the names generated for hooks all come back.
 *
 * <h2>Validating a wave</h2>
 *
 * <p>The objects of a step are one wave, validated whole before any of them changes, as Argo CD and
 * Flux do: each is dry-run (a server-side apply the server does not store) — the diff's own
 * dry-run, remembered, so an object compared a moment before is not dry-run again. When the server
 * refuses any of them (invalid, forbidden, an immutable field without Replace) or does not answer,
 * or another application owns one, nothing of the wave is sent, no hook of the step starts, nothing
 * is pruned, and the step fails naming every refusal ({@code wave 0 failed: ConfigMap/shop/a failed
 * (invalid: the server refused it: …); Deployment/shop/web failed (immutable field: …)}); the
 * wave's other objects are reported skipped. A changed object costs one dry-run and one apply, an
 * unchanged one none; the dry-runs of a wave go four at a time.
 *
 * <p>Inside a wave, Namespaces, CRDs, ClusterRoles, ClusterRoleBindings and the class kinds
 * (StorageClass, IngressClass, PriorityClass, RuntimeClass) are applied first, each awaited (a CRD
 * until Established, a Namespace until Active) before the rest. An object whose namespace or kind
 * that first stage creates cannot be dry-run before it: it is dry-run right after it, and if it is
 * refused then, the rest of the wave is not sent (the first stage stays applied).
 *
 * <p>Replace=true (or the object's own {@code argocd.argoproj.io/sync-options: Replace=true}): an
 * object whose immutable field changed is deleted, awaited until gone, and applied again. When it
 * is still there once the wait runs out (a finalizer holds it), its entry fails as timed out; when
 * it cannot be created again after the delete, it stays in the inventory and the next sync creates
 * it.
 *
 * <h2>Pruning</h2>
 *
 * <p>What an application owns is kept in its inventory (a ConfigMap in {@code tagflow-system}).
 * Objects in the inventory and no longer in Git are deleted only with prune on, in their own wave
 * or last with PruneLast, never when annotated {@code tagflow.dev/prune: "false"}; a sync that
 * would delete more than half of the application's objects stops before changing anything and asks
 * for confirmation.
 *
 * <h2>When the cluster fails</h2>
 *
 * <p>An owned object is never lost, whatever the cluster does:
 *
 * <ul>
 *   <li>What a step is about to apply is written to the inventory before any of it is sent, so a
 *       failure or a crash in the middle of a step leaves no applied object that the inventory does
 *       not name.
 *   <li>A stale object counts as gone only when the API server says it does not exist (a cache's
 *       "absent" is asked again) or discovery confirms its kind is no longer served. One that
 *       cannot be read (no answer, a timeout, a 5xx) is not deleted, stays in the inventory, and
 *       makes the sync end Failed ({@code synced v2 except: ConfigMap/shop/old failed (unavailable:
 *       not pruned: could not read it to decide: …)}).
 *   <li>One object's failure is its failed entry in the change set, with the {@link
 *       dev.tagflow.cluster.ClusterFailure} that caused it (unavailable, conflict, immutable field,
 *       …); the other objects of the step are still applied, and the step then fails ({@code wave 0
 *       failed: ConfigMap/shop/d failed (unavailable: …) (and 2 more failed)}). A step whose apply
 *       failed deletes none of its stale objects.
 *   <li>A hook whose deletion fails is a failed entry, not "deleted"; {@code BeforeHookCreation}
 *       creates the new run only once the earlier one is gone.
 *   <li>When the cluster cannot be read before a step changed anything (its inventory, a health
 *       check), {@code step()} throws the {@link dev.tagflow.cluster.ClusterException}, the state
 *       unchanged: calling it again later resumes the sync.
 * </ul>
 */
package dev.tagflow.sync;
