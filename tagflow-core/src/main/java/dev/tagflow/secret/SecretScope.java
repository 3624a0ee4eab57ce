package dev.tagflow.secret;

import dev.tagflow.TagflowException;
import java.util.regex.Pattern;

/**
 * Whose a secret is: a project's (every repository of the project sees it) or one repository's
 * (only that repository's workflows see it, and it wins over the project's of the same name).
 */
public sealed interface SecretScope {

  /** Project and repository names: letters, digits, '.', '_' and '-', as Tagflow names them. */
  Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  /** The name of the project or repository. */
  String name();

  /** How the scope is stored: {@code project/<name>} or {@code repository/<name>}. */
  String key();

  /** A project's secrets. */
  record Project(String name) implements SecretScope {
    public Project {
      name = checked(name, "project");
    }

    @Override
    public String key() {
      return "project/" + name;
    }

    @Override
    public String toString() {
      return "project " + name;
    }
  }

  /** One repository's secrets. */
  record Repository(String name) implements SecretScope {
    public Repository {
      name = checked(name, "repository");
    }

    @Override
    public String key() {
      return "repository/" + name;
    }

    @Override
    public String toString() {
      return "repository " + name;
    }
  }

  /** The scope stored under {@code key}. */
  static SecretScope ofKey(String key) {
    if (key.startsWith("project/")) {
      return new Project(key.substring("project/".length()));
    }
    if (key.startsWith("repository/")) {
      return new Repository(key.substring("repository/".length()));
    }
    throw TagflowException.failed("the store holds a secret of an unknown scope '" + key + "'");
  }

  private static String checked(String name, String what) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw TagflowException.invalidInput(
          "'"
              + name
              + "' is not a "
              + what
              + " name: up to 128 letters, digits, '.', '_' and '-', starting with a letter or"
              + " digit");
    }
    return name;
  }
}
