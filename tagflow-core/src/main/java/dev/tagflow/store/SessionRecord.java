package dev.tagflow.store;

import java.time.Instant;

/**
 * A web session as stored: the hex SHA-256 of its opaque id, the user, and its times.
 *
 * @param lastSeenAt the last request that used it, for the idle expiry
 * @param expiresAt the absolute expiry, set at login and never moved
 */
public record SessionRecord(
    String digest, String user, Instant createdAt, Instant lastSeenAt, Instant expiresAt) {

  @Override
  public String toString() {
    return "SessionRecord[" + user + " since " + createdAt + "]";
  }
}
