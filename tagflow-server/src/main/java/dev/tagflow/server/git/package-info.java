/**
 * Tagflow's own Git server: bare repositories under {@code <data-dir>/git} ({@link
 * dev.tagflow.server.git.HostedRepositories}), served by smart HTTP at {@code /git/<name>.git} with
 * JGit's servlet ({@link dev.tagflow.server.git.GitServer}); a push that moves a ref becomes ref
 * events at once.
 *
 * <p>Access: {@link dev.tagflow.server.git.GitAccessFilter} decides on {@link
 * dev.tagflow.server.git.GitRequest}, the same decoded request JGit serves, before JGit sees it.
 * Only the exact clone and fetch routes are reads; everything else needs a token from {@link
 * dev.tagflow.server.git.AccessTokens} (kept as SHA-256 digests, compared in constant time). Reads
 * need one too, whatever address they come from, unless the repository's owner turned anonymous
 * read on. The server's own components use {@link dev.tagflow.server.git.OwnGitCredentials}, a
 * token made at every start and sent only to the server's own URL. {@code /api/repos} lists and
 * creates repositories behind the API's route table ({@code repositories/get}, {@code
 * repositories/create}; the Git tokens count as policy subject {@code git-token}), its body checked
 * field by field ({@code CreateRequest}).
 */
package dev.tagflow.server.git;
