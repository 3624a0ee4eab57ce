/**
 * Reconcile: bringing a cluster to what an Application's Git source says.
 *
 * <p>Today this is one manual run: {@link dev.tagflow.reconcile.ApplicationSync} takes one
 * Application through named steps — {@code source} (fetch, resolve the target revision) → {@code
 * render} → {@code diff} or {@code sync} → {@code health} — and answers with a {@link
 * dev.tagflow.reconcile.SyncReport}: the revision, the differences or the change set, the health,
 * or the typed {@link dev.tagflow.reconcile.SyncFailure} of the step that stopped it ({@code
 * SourceFailed}, {@code RenderFailed}, {@code SyncFailed}, {@code NeedsConfirmation}, {@code
 * HealthCheckFailed}).
 *
 * <p>{@link dev.tagflow.reconcile.SyncOptionsMapping} turns the Application's {@code syncPolicy}
 * and {@code ignoreDifferences} into the sync engine's options, refusing by name what the engine
 * cannot honour; {@link dev.tagflow.reconcile.DestinationContext} says which kubeconfig context a
 * destination means ({@code local}: the current one).
 *
 * <p>The controller (work queue, triggers, automated sync, self-heal, retry, history, rollback)
 * will grow here around the same steps.
 */
package dev.tagflow.reconcile;
