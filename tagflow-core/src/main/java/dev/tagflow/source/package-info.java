/**
 * Git sources: where every desired state and every release starts.
 *
 * <p>{@link dev.tagflow.source.RepoCache} keeps one bare mirror per repository URL in the data
 * directory and fetches it on demand, or when a ref is seen to move. {@link
 * dev.tagflow.source.RevisionResolver} turns an Application's {@code targetRevision} into a commit
 * ({@link dev.tagflow.source.Revision}) in the order {@code git rev-parse} would — a full ref, a
 * tag, a branch, a commit — and only then as a semver range over tags ({@link
 * dev.tagflow.source.SemVerRange}: {@code ^1.2}, {@code >=1.2.0 <2.0.0}, with tag prefixes such as
 * {@code prod-v}). {@link dev.tagflow.source.TreeReader} reads the files under one path of a commit
 * straight from the object database, without a checkout; a path that leaves the tree ({@code ..},
 * an absolute path, a symbolic link pointing out) is refused, and the size of a file can be asked
 * before it is read.
 *
 * <p>Change events: {@link dev.tagflow.source.RefTracker} compares all branches and tags of a
 * repository (one ls-remote) with the last seen and reports one {@link
 * dev.tagflow.source.RefChanged} per created, moved or deleted ref. Every {@link
 * dev.tagflow.source.EventSource} — the {@link dev.tagflow.source.GitPoller} (3 minutes ± 10 %
 * jitter), a webhook, a push to Tagflow's own Git server — ends in such a comparison and never says
 * itself which refs moved, because GitHub sends no push event when more than three tags are pushed
 * at once.
 *
 * <p>Credentials: {@link dev.tagflow.source.RemoteAccess} applies a repository's credentials
 * ({@link dev.tagflow.source.RepoCredentials}: a token file, a user and password file, or an SSH
 * key with known hosts — paths only, read when a transport needs them) and a timeout to every Git
 * command. JGit is only ever given the URL without credentials, so no mirror, log line, meter tag
 * or error holds a secret; {@link dev.tagflow.source.RepoRegistry} keeps the repositories people
 * added in {@code repositories.yaml} and refuses a URL with credentials in it.
 *
 * <p>Writing: {@link dev.tagflow.source.GitRevert} puts one path of a branch back to a good commit
 * for the rollback policy — the commits since then that changed the path reverted in one commit, or
 * the good files written when a revert does not apply — built on the mirror's objects without a
 * checkout and pushed with the repository's credentials, made again on the new head when the branch
 * moved meanwhile (at most 5 times).
 *
 * <p>Failures: an unreachable remote is a {@link dev.tagflow.TagflowException} with the URL
 * redacted; the mirror keeps what it had and its {@link dev.tagflow.source.RepoStatus} says what
 * the last fetch came to.
 */
package dev.tagflow.source;
