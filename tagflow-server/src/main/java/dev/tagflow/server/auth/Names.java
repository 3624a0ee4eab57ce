package dev.tagflow.server.auth;

import dev.tagflow.TagflowException;
import java.util.regex.Pattern;

/**
 * What user and token names may be: short, one word, nothing a log or policy line would break on.
 */
final class Names {

  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._@-]{0,63}");

  private Names() {}

  static String require(String what, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw TagflowException.invalidInput(
          "the "
              + what
              + " name '"
              + (name == null ? "" : name.length() > 70 ? name.substring(0, 70) + "…" : name)
              + "' is not allowed: use 1 to 64 letters, digits, '.', '_', '@' and '-',"
              + " starting with a letter or digit");
    }
    if (name.startsWith("role:") || name.equals("git-token")) {
      throw TagflowException.invalidInput(
          "the " + what + " name '" + name + "' is reserved for the policy: choose another");
    }
    return name;
  }
}
