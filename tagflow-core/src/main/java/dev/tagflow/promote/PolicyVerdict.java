package dev.tagflow.promote;

import java.util.Optional;

/** Whether an environment's policy takes a release, and by which rule it did or did not. */
public sealed interface PolicyVerdict {

  /** Accepted by {@code rule}. */
  record Accepted(Environment environment, AcceptRule rule) implements PolicyVerdict {}

  /**
   * Refused; {@code rule} is the rule that refused it (the one whose pattern matched, when one
   * did), and {@code message} says what, by which rule and how to go on.
   */
  record Refused(Environment environment, Optional<AcceptRule> rule, String message)
      implements PolicyVerdict {}
}
