/**
 * Where remote actions come from: {@link dev.tagflow.pipeline.action.ActionSource} fetches {@code
 * owner/repo[/path]@ref} from a configurable base URL (default {@code https://github.com}, or
 * Tagflow's own Git server), resolves the ref to a commit, and keeps the action's files by commit
 * under the data directory ({@code <data>/actions}).
 *
 * <p>Fetching goes through a {@link dev.tagflow.source.RepoCache} of its own ({@code
 * <data>/actions/mirrors}), so credentials are applied by {@link dev.tagflow.source.RemoteAccess}
 * as for every repository, and never appear in a URL JGit sees, a log line or a message. The files
 * of one action at one commit are read from the mirror's objects with {@link
 * dev.tagflow.source.TreeReader} (a link leading out of the action's directory refuses the action),
 * written to a temporary directory and renamed into place: a killed process leaves no half-written
 * entry, and two runs fetching the same action at once both end with the same complete entry.
 *
 * <p>When the source cannot be reached, a ref the mirror already knows is used as it was last
 * fetched, and the run's log says so.
 */
package dev.tagflow.pipeline.action;
