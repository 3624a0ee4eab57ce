/**
 * The real {@code git} command, run as a user runs it: {@link dev.tagflow.local.git.GitCommand}
 * runs one git command apart from the machine's and the user's settings (no system or global
 * configuration, no home directory, no password prompt, one fixed author, a time limit, a URL's
 * credentials kept out of its error messages); {@link dev.tagflow.local.git.GitWorkTree} is a
 * repository with a work tree changed through it.
 *
 * <pre>{@code
 * GitWorkTree envs = GitWorkTree.init(dir).withOrigin(dir.resolveSibling("envs.git"));
 * String commit = envs.commitFile("environments/production/values.yaml", "image: {tag: 1.2.3}\n", "1.2.3");
 * envs.git("tag", "v1.2.3");
 * envs.git("push", "-q", "origin", "main", "--tags");
 * }</pre>
 *
 * <p>The demo writes its repositories with it (and pushes tags as a user would), and it is the one
 * way Tagflow's tests run git, in every module: core's tests use it in test scope, which is why
 * this module depends on no other Tagflow module. Tagflow itself reads and serves repositories with
 * JGit, never with this.
 */
package dev.tagflow.local.git;
