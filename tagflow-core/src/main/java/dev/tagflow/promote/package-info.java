/**
 * Promotion: a release goes into environments of an environment repository, under that repository's
 * policy. The entry point is {@link dev.tagflow.promote.EnvRepoWriter}; the {@code tagflow/promote}
 * workflow step and the CLI call it the same way:
 *
 * <pre>{@code
 * ReleaseRef release = ReleaseRef.ofTag("web", "v1.2.3", commit)
 *     .withImage("registry.local/web:1.2.3", Optional.of(digest));
 * PromotionResult result = writer.promote(
 *     PromotionRequest.of(envRepoUrl, release, "dev", "staging")
 *         .withSet(Map.of(YamlPath.parse("image.tag"), "1.2.3"))   // the default
 *         .withMode(PromotionRequest.Mode.COMMIT));                 // or PULL_REQUEST, BRANCH
 * for (PromotionResult.Outcome outcome : result.outcomes()) {
 *   // Written(commit, attempts) | Unchanged | Requested(request id) | Refused(rule, message)
 * }
 * }</pre>
 *
 * <h2>Policy</h2>
 *
 * <p>{@code environments/policy.yaml} on the repository's main branch ({@link
 * dev.tagflow.promote.PolicyReader}, every mistake at once with file:line:column): the environments
 * in order, each with {@code accept} rules over tags or branch builds ({@link
 * dev.tagflow.promote.AcceptRule}: a glob, {@code semver}, {@code prerelease}), {@code promotion:
 * auto} or an {@code approval} of N people with roles, {@code after} (an environment that must have
 * been Healthy with the same values first, judged by {@link dev.tagflow.promote.EnvironmentHealth}
 * from the controller's statuses or the stored sync history), its {@code applications}, and {@code
 * syncWindows} (read and checked here with {@link dev.tagflow.schedule.CronSchedule}; {@link
 * dev.tagflow.schedule.SyncWindows} evaluates them, {@code Environment.windows()}; the server hands
 * them to the controller through {@code reconcile.EnvironmentWindows}, which enforces them with the
 * project's). A refusal names the rule ({@code environments/policy.yaml:18:9}) and writes nothing —
 * not in the refused environment, nor in the others of the same request.
 *
 * <h2>Editing values</h2>
 *
 * <p>{@link dev.tagflow.promote.ValuesEditor} changes a values file exactly at the scalar a {@link
 * dev.tagflow.promote.YamlPath} names, working on the positions SnakeYAML's events give: the rest
 * of the file — comments, order, quoting, indentation, flow or block style, anchors, line endings —
 * stays byte for byte. The new scalar keeps the old quoting when it can and is read back before it
 * is used. A missing key is added as whole lines in the file's indentation. Aliases, anchored
 * nodes, merge keys and block scalars are refused with their place, never edited through.
 *
 * <h2>Writing</h2>
 *
 * <p>The writer keeps a bare copy of each environment repository in its directory and makes commits
 * without a working tree. Writes to one repository go one at a time through a fair lock (a queue
 * per URL) and, across processes sharing the directory ({@code tagflow approvals approve} beside
 * {@code tagflow server}), an exclusive file lock on {@code <copy>.lock} held from fetch to push
 * and dropped by the operating system if the process dies; a push refused because the branch moved
 * (another writer, a person) is fetched, applied again on the new head and pushed again, up to
 * {@link dev.tagflow.promote.WriterOptions#maxAttempts()} times, so concurrent promotions all land
 * on one line of history without merge commits. Commit messages name the release: {@code promote
 * web v1.2.3 to staging}, the values changed, and trailers {@code Release-Tag}, {@code
 * Release-Version}, {@code Release-Commit}, {@code Image}, {@code Image-Digest} (and {@code
 * Promotion-Request} when a request was rebased). Credentials come from {@link
 * dev.tagflow.source.RemoteAccess}; URLs in messages and logs are redacted.
 *
 * <p>Modes: {@code commit} pushes to main; {@code branch} to {@code env/<name>} (created from
 * main); {@code pull-request} — and any environment whose policy asks for approval — pushes {@code
 * promote/<env>/<version>} and records a promotion request ({@link
 * dev.tagflow.store.PromotionStore}). {@link dev.tagflow.promote.EnvRepoWriter#approve} counts
 * distinct approvers holding one of the roles, never the release's author; the approval that makes
 * enough merges the branch — the same commit when main has not moved (fast-forward), else the edit
 * applied to the new main — and deletes the branch. A merge that fails leaves the request pending
 * with the reason; approving again retries it. A newer request for the same environment supersedes
 * the pending one.
 */
package dev.tagflow.promote;
