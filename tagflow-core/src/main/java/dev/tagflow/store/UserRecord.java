package dev.tagflow.store;

import java.time.Instant;

/**
 * A local user as stored: the name and the password's slow hash (algorithm, parameters and salt in
 * the one string).
 */
public record UserRecord(String name, String passwordHash, Instant createdAt, Instant updatedAt) {

  @Override
  public String toString() {
    return "UserRecord[" + name + "]";
  }
}
