/**
 * Secrets for release workflows: {@link dev.tagflow.secret.Secrets} sets, lists and deletes them
 * per {@link dev.tagflow.secret.SecretScope} (a project or a repository) and resolves the ones a
 * workflow names.
 *
 * <h2>At rest</h2>
 *
 * <p>{@link dev.tagflow.secret.SecretCipher} seals each value with AES-256-GCM before it reaches
 * the store ({@link dev.tagflow.store.SecretStore}, table {@code secrets}): a random 96-bit nonce
 * per value, the scope and name as associated data (a row moved to another name or scope does not
 * open), and a key id so that a value sealed under another key is told apart from a changed one.
 * {@link dev.tagflow.secret.SecretKeyFile} keeps the 256-bit key in {@code <dataDir>/secrets.key},
 * created with mode 600 (written whole, then linked into place, so two processes starting at once
 * agree on one key) and refused when others than its owner may read or write it, with the {@code
 * chmod} that fixes it.
 *
 * <h2>Names and values</h2>
 *
 * <p>As on GitHub: names of letters, digits and {@code _}, not starting with a digit or {@code
 * GITHUB_}, compared and kept in upper case; values of UTF-8 text up to 48 KiB, without NUL.
 *
 * <h2>For the runner</h2>
 *
 * <p>{@code resolve(List.of(repositoryScope, projectScope), namesTheWorkflowUses)} returns only
 * those names ({@link dev.tagflow.secret.ResolvedSecrets}), each from the first scope that has it,
 * and the names no scope has (which read as empty strings). Its {@code toString} shows names only.
 *
 * <p>The user's manual is {@code docs/secrets.md}.
 */
package dev.tagflow.secret;
