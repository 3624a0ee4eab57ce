package dev.tagflow.server.repository;

import dev.tagflow.TagflowException;
import dev.tagflow.secret.SecretScope;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A secret named by its path in the secrets API, {@code kind/scope/NAME} ({@code
 * project/shop/GIT_TOKEN}, {@code repository/web/GIT_TOKEN}): what a repository added over the API
 * logs in with.
 */
public record SecretReference(SecretScope scope, String name) {

  private static final Pattern NAME = Pattern.compile("[A-Z_][A-Z0-9_]{0,254}");

  public SecretReference {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(name, "name");
  }

  /**
   * Reads {@code kind/scope/NAME}.
   *
   * @throws TagflowException (invalid input) saying which part is wrong
   */
  public static SecretReference parse(String text) {
    String[] parts = text.split("/", -1);
    if (parts.length != 3) {
      throw TagflowException.invalidInput(
          "a secret is named kind/scope/NAME, e.g. project/shop/GIT_TOKEN or"
              + " repository/web/GIT_TOKEN");
    }
    SecretScope scope =
        switch (parts[0]) {
          case "project" -> new SecretScope.Project(parts[1]);
          case "repository" -> new SecretScope.Repository(parts[1]);
          default ->
              throw TagflowException.invalidInput(
                  "a secret's kind is project or repository, e.g. project/shop/GIT_TOKEN");
        };
    String name = parts[2].toUpperCase(Locale.ROOT);
    if (!NAME.matcher(name).matches()) {
      throw TagflowException.invalidInput(
          "a secret's NAME is letters, digits and '_', not starting with a digit (as tagflow"
              + " secret set takes it)");
    }
    return new SecretReference(scope, name);
  }

  /** As the secrets API's path and permission object name it: {@code kind/scope/NAME}. */
  @Override
  public String toString() {
    return scope.key() + "/" + name;
  }
}
