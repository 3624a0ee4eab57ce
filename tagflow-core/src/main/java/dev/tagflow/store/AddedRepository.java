package dev.tagflow.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A repository added over the API: its {@code owner/name}, its URL without credentials, and how it
 * logs in — a user name and the reference of a secret ({@code kind/scope/NAME}), never a value.
 *
 * @param passwordSecret the secret holding the password or token; empty for anonymous access
 * @param username the HTTPS user; empty with a secret means a token
 */
public record AddedRepository(
    String name,
    String url,
    Optional<String> username,
    Optional<String> passwordSecret,
    String addedBy,
    Instant addedAt) {

  public AddedRepository {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(passwordSecret, "passwordSecret");
    Objects.requireNonNull(addedBy, "addedBy");
    Objects.requireNonNull(addedAt, "addedAt");
  }
}
