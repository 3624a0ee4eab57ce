package dev.tagflow.promote;

import dev.tagflow.TagflowException;
import java.util.Objects;
import java.util.Set;

/** Someone approving or rejecting a promotion request, with the roles they hold. */
public record Approver(String name, Set<String> roles) {
  public Approver {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw TagflowException.invalidInput("say who approves (a user name)");
    }
    roles = Set.copyOf(roles);
  }
}
