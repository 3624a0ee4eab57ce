package dev.tagflow.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An API token as stored: its name, owner and lifetime, and the SHA-256 digest of its secret (hex),
 * never the secret itself.
 *
 * @param id a random identifier, shown in lists and used to revoke
 * @param name a unique name people choose, e.g. {@code ci-deploy}
 * @param owner the user the token acts as
 * @param digest the hex SHA-256 of the token's text
 * @param expiresAt when it stops working; empty for never
 * @param revokedAt when it was revoked; empty while it is not
 */
public record ApiTokenRecord(
    String id,
    String name,
    String owner,
    String digest,
    Instant createdAt,
    Optional<Instant> expiresAt,
    Optional<Instant> revokedAt) {

  public ApiTokenRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(revokedAt, "revokedAt");
  }

  /** Whether the token may be used at {@code now}: not revoked, not expired. */
  public boolean validAt(Instant now) {
    return revokedAt.isEmpty() && expiresAt.map(now::isBefore).orElse(true);
  }

  @Override
  public String toString() {
    // The digest is not a secret, but it has no business in a log either.
    return "ApiTokenRecord[" + id + " " + name + " of " + owner + "]";
  }
}
