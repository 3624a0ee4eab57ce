package dev.tagflow.server.rbac;

/**
 * What a request needs: an action on a resource, e.g. {@code applications/sync}.
 *
 * @throws IllegalArgumentException when the catalog has no such resource or action
 */
public record Permission(String resource, String action) {

  public Permission {
    if (!Catalog.knows(resource, action)) {
      throw new IllegalArgumentException(
          "no permission " + resource + "/" + action + " in the catalog (see Catalog)");
    }
  }

  /** Parses {@code resource/action}. */
  public static Permission of(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("a permission is resource/action, not " + text);
    }
    return new Permission(text.substring(0, slash), text.substring(slash + 1));
  }

  @Override
  public String toString() {
    return resource + "/" + action;
  }
}
