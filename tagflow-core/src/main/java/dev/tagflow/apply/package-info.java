/**
 * Applying an application's objects, and the one result every change is reported in.
 *
 * <p>{@link dev.tagflow.apply.ResourceManager} applies one wave by server-side apply with field
 * manager {@code tagflow}, and deletes. A wave is <b>validated whole before any of it changes</b>,
 * as Argo CD and Flux do: each object's one server-side dry-run comes from the differ (an object
 * the differ just compared, or remembers as unchanged at its live resourceVersion, is not dry-run
 * again), and {@code Validation} turns each comparison into a {@code Verdict} — unchanged, send,
 * replace, deferred until the first stage is ready, or refused (invalid, forbidden, a conflict, a
 * missing namespace, an immutable field without Replace, another application's object, no answer).
 * One refusal and nothing of the wave is sent: every refusal is reported at once, the others as
 * skipped. So a changed object costs one dry-run and one apply, an unchanged one nothing.
 *
 * <p>Staged like Flux: {@code FirstStage} holds Namespaces, CRDs, ClusterRoles and their bindings,
 * and the class kinds (StorageClass, IngressClass, PriorityClass, RuntimeClass); each one applied
 * is awaited (a CRD until Established, a Namespace until Active) before the rest, and an object
 * that needs one of them is dry-run only then. {@link dev.tagflow.apply.KindOrder} orders the rest
 * (Helm's and Argo CD's order); the objects of one kind are sent together, at most as many at a
 * time as the differ's dry-runs, and the next kind once they are all answered ({@code KindBatches},
 * as Argo CD applies a wave). A Replace ({@code Replace=true}, or an immutable field changed with
 * force) is {@link dev.tagflow.apply.Recreation}: delete, wait until gone, apply again; each way it
 * can fail is a typed entry.
 *
 * <p>{@link dev.tagflow.apply.ChangeSet} is the one result: an entry per object ({@link
 * dev.tagflow.apply.ChangeSetEntry}: the object, {@link dev.tagflow.apply.Action} created,
 * configured, unchanged, deleted, skipped or failed, a message a person can act on, and for a
 * failure its {@link dev.tagflow.cluster.ClusterFailure}). Events, command output, history, the
 * inventory and the UI are built from it. One object's failure, of any kind, is its entry and never
 * stops the others. Before any object of a stage is sent, {@link dev.tagflow.apply.WriteAhead}
 * records it in the application's inventory, so a crash in the middle leaves no applied object that
 * no inventory names.
 */
package dev.tagflow.apply;
