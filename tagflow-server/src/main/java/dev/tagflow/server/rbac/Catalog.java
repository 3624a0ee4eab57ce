package dev.tagflow.server.rbac;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The resources a policy may name, their actions, and what their objects look like. A policy line
 * or route naming anything else is refused: a typo must not grant nothing in silence.
 */
public final class Catalog {

  /**
   * One resource.
   *
   * @param objectShape how its objects are written, for messages and docs
   */
  public record Resource(String name, Set<String> actions, String objectShape) {}

  private static final Map<String, Resource> RESOURCES = new LinkedHashMap<>();

  static {
    add("applications", "project/environment/application", "get", "sync", "rollback", "refresh");
    add("promotions", "project/environment/release", "get", "approve", "reject");
    add("releases", "repository", "get");
    add("runs", "repository", "get", "cancel", "rerun", "dispatch");
    add("repositories", "repository", "get", "create", "delete");
    add("clusters", "cluster", "get");
    add("secrets", "kind/scope/name", "get", "set", "delete");
    add("audit", "*", "get");
    add("tokens", "owner/name", "get", "create", "revoke");
    add("users", "user", "get", "create", "update", "delete");
  }

  private Catalog() {}

  private static void add(String name, String shape, String... actions) {
    RESOURCES.put(name, new Resource(name, Set.of(actions), shape));
  }

  /** Every resource, in a stable order. */
  public static List<Resource> resources() {
    return List.copyOf(RESOURCES.values());
  }

  public static boolean knows(String resource) {
    return RESOURCES.containsKey(resource);
  }

  public static boolean knows(String resource, String action) {
    Resource known = RESOURCES.get(resource);
    return known != null && known.actions().contains(action);
  }

  /** The actions of a resource, or every action of every resource for {@code *}. */
  public static Set<String> actionsOf(String resource) {
    Resource known = RESOURCES.get(resource);
    return known == null ? Set.of() : known.actions();
  }
}
