package dev.tagflow.server.api;

import dev.tagflow.server.rbac.Permission;
import java.util.Objects;

/** What a route needs from the caller. */
public sealed interface Access {

  /** A permission on an object taken from the request. */
  record Required(Permission permission, ObjectOf object) implements Access {
    public Required {
      Objects.requireNonNull(permission, "permission");
      Objects.requireNonNull(object, "object");
    }
  }

  /** Any valid principal, whatever its permissions, e.g. to see who one is or to log out. */
  record SignedIn(String reason) implements Access {
    public SignedIn {
      requireReason(reason);
    }
  }

  /** Anyone, e.g. the login itself; the reason says why that is safe. */
  record Public(String reason) implements Access {
    public Public {
      requireReason(reason);
    }
  }

  static Access needs(String permission, ObjectOf object) {
    return new Required(Permission.of(permission), object);
  }

  private static void requireReason(String reason) {
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("a route open without a permission says why");
    }
  }
}
