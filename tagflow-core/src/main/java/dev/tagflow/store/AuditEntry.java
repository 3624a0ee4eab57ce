package dev.tagflow.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of the audit log.
 *
 * @param actor who: a user, {@code token:<name>}, or {@code anonymous}
 * @param action what: the route, e.g. {@code POST /api/repos}, or an event such as {@code login}
 * @param object what it was done to, e.g. a repository name; empty when none
 * @param address the client's address, as the server trusts it
 * @param result e.g. {@code 201}, {@code denied}, {@code failed: wrong password}
 */
public record AuditEntry(
    Instant at, String actor, String action, String object, String address, String result) {

  public AuditEntry {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(object, "object");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(result, "result");
  }
}
