/**
 * Desired against live: does the cluster still hold what Git says, and where not, what differs.
 *
 * <p>{@link dev.tagflow.diff.Differ} compares each desired object with the cluster by a server-side
 * apply dry-run with field manager {@code tagflow}: the API server applies its defaults, admission
 * and validation, so the answer is what a real apply would leave, not a guess. Both sides are then
 * trimmed to the fields Tagflow manages ({@link dev.tagflow.diff.ManagedView}, from the {@code
 * tagflow} entry of {@code metadata.managedFields}, read by {@link dev.tagflow.diff.FieldSet}), so
 * defaults, other controllers' fields and status never count as drift, while a field Git dropped
 * still does. {@code ignoreDifferences} entries ({@link dev.tagflow.diff.IgnoreRule}: JSON pointers
 * or managers, per group and kind) are removed from both sides.
 *
 * <p>Each object comes out as one {@link dev.tagflow.diff.ResourceDiff}: in sync, changed (with a
 * {@link dev.tagflow.diff.UnifiedDiff} a person can read), missing, extra (owned, no longer in
 * Git), or unknown — the server refused the dry-run or a read failed, with why; unknown is never
 * taken for "in sync" or "gone". A memo keyed by the desired object's hash and the live
 * resourceVersion answers an unchanged object without a request. {@link
 * dev.tagflow.diff.StoredVerdicts} keeps its "in sync" verdicts in the store, so that a new process
 * in steady state sends no dry-run either: a stored verdict is used only for the same desired
 * object (content, field manager, ignore rules), the same live object (uid and resourceVersion),
 * the same API server ({@code kube-system} uid and version) and the same Tagflow; anything else,
 * and a damaged value, is a miss. Verdicts are written in batches by a background thread, and the
 * store keeps the newest 200,000, none older than a week.
 *
 * <p>{@link dev.tagflow.diff.DesiredObject} is the object exactly as Tagflow sends it (namespace
 * filled in or removed by scope, the fields the server sets dropped, {@link
 * dev.tagflow.diff.Tracking}'s label and tracking id added), so the apply sends what was compared.
 * {@link dev.tagflow.diff.ServerFields} is the one list of those fields ({@code status}, {@code
 * resourceVersion}, {@code uid}, {@code managedFields}, …), used by the desired object, by the
 * compared views and by hooks alike. {@link dev.tagflow.diff.SecretMask} masks every Secret's
 * values before a diff is built: a person sees which keys changed, never a value.
 */
package dev.tagflow.diff;
