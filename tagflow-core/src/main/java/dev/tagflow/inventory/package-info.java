/**
 * What each application owns, and pruning what Git no longer has.
 *
 * <p>An {@link dev.tagflow.inventory.Inventory} is the list of objects one application owns in its
 * destination cluster. {@link dev.tagflow.inventory.InventoryStore} keeps it in that cluster, as
 * the ConfigMap {@code inventory-<application>} in Tagflow's namespace ({@code tagflow-system}
 * unless told otherwise), so that a restarted Tagflow, or another replica, knows what it owns
 * without any local state.
 *
 * <p>Stale objects are the old inventory minus the new one. {@link
 * dev.tagflow.inventory.PrunePlanner} decides what to do with them ({@link
 * dev.tagflow.inventory.PrunePlan}): with prune off they are only reported; with prune on they are
 * deleted, except an object annotated {@code tagflow.dev/prune: "false"} (or Argo CD's {@code
 * Prune=false}), one that no longer carries this application's tracking id (someone else took it
 * over), and — the deletion circuit breaker — never more than a share of the application's objects
 * ({@link dev.tagflow.inventory.PruneOptions#maxDeleteShare()}) without a person's confirmation: a
 * broken render or a wrong path must not empty a namespace.
 *
 * <p>Never lose an owned object: the inventory is written ahead of an apply (what a step is about
 * to send is recorded first), so a failure or a crash in the middle leaves no applied object that
 * no inventory names. A stale object whose read fails (a timeout, a 5xx, a refused connection) is
 * neither deleted nor dropped: it stays in the inventory and the sync reports it. Only a 404, or a
 * kind that discovery confirms is no longer served, counts as gone; a watch-fed cache that does not
 * hold an object is checked with the API server before the object counts as gone. Objects whose
 * deletion was not confirmed stay in the inventory, so the next sync tries again.
 */
package dev.tagflow.inventory;
