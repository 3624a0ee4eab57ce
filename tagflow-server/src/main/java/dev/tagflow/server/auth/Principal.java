package dev.tagflow.server.auth;

import java.util.Optional;
import java.util.Set;

/**
 * Who a request acts as.
 *
 * @param name the actor as the audit log shows it, e.g. {@code alice} or {@code alice (token ci)}
 * @param subjects the policy subjects: the user, {@code token:<name>} for a token, {@code
 *     git-token}
 * @param session the session digest when the request came with a session cookie: such requests need
 *     a CSRF token to change anything
 */
public record Principal(String name, Set<String> subjects, Optional<String> session) {

  public Principal {
    subjects = Set.copyOf(subjects);
  }

  public boolean bySession() {
    return session.isPresent();
  }
}
