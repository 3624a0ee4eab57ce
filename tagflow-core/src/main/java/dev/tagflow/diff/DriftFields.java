package dev.tagflow.diff;

import dev.tagflow.PlainJson;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import tools.jackson.core.JacksonException;

/**
 * Which fields of two managed views differ, and which managers own each in the live object: the
 * "what and who" of drift, found before Secret values are masked (only paths leave, never values).
 *
 * <p>Lists are compared element by element when both have the same length, an element named by its
 * {@code name} when it has one ({@code containers[name=web]}); a list whose length changed is one
 * field.
 */
final class DriftFields {

  /** A step of a path: a map key, or a list element by name or by index. */
  private sealed interface Segment {
    record Key(String name) implements Segment {}

    record Named(String name) implements Segment {}

    record Index(int index) implements Segment {}
  }

  private DriftFields() {}

  static List<FieldDrift> between(
      Map<String, Object> liveView,
      Map<String, Object> desiredView,
      Map<String, Object> liveObject,
      String ourManager) {
    List<List<Segment>> paths = new ArrayList<>();
    walk(new ArrayList<>(), liveView, desiredView, paths);
    List<FieldDrift> drifts = new ArrayList<>();
    for (List<Segment> path : paths) {
      drifts.add(new FieldDrift(show(path), owners(liveObject, path, ourManager)));
    }
    return drifts;
  }

  private static void walk(
      List<Segment> at, Object live, Object desired, List<List<Segment>> found) {
    if (Objects.equals(live, desired)) {
      return;
    }
    if (live instanceof Map<?, ?> a && desired instanceof Map<?, ?> b) {
      Set<Object> keys = new LinkedHashSet<>(a.keySet());
      keys.addAll(b.keySet());
      for (Object key : keys) {
        at.add(new Segment.Key(String.valueOf(key)));
        walk(at, a.get(key), b.get(key), found);
        at.removeLast();
      }
      return;
    }
    if (live instanceof List<?> a && desired instanceof List<?> b && a.size() == b.size()) {
      for (int i = 0; i < a.size(); i++) {
        Object name = a.get(i) instanceof Map<?, ?> element ? element.get("name") : null;
        Object otherName = b.get(i) instanceof Map<?, ?> element ? element.get("name") : null;
        at.add(
            name instanceof String n && n.equals(otherName)
                ? new Segment.Named(n)
                : new Segment.Index(i));
        walk(at, a.get(i), b.get(i), found);
        at.removeLast();
      }
      return;
    }
    found.add(List.copyOf(at));
  }

  private static String show(List<Segment> path) {
    StringBuilder text = new StringBuilder();
    for (Segment segment : path) {
      switch (segment) {
        case Segment.Key key -> {
          if (key.name().matches("[A-Za-z0-9_-]+")) {
            text.append(text.isEmpty() ? "" : ".").append(key.name());
          } else {
            text.append("[\"").append(key.name()).append("\"]");
          }
        }
        case Segment.Named named -> text.append("[name=").append(named.name()).append(']');
        case Segment.Index index -> text.append('[').append(index.index()).append(']');
      }
    }
    return text.toString();
  }

  /** The managers other than ours whose managedFields entry holds the path. */
  private static List<String> owners(
      Map<String, Object> liveObject, List<Segment> path, String ourManager) {
    List<String> owners = new ArrayList<>();
    if (!(liveObject.get("metadata") instanceof Map<?, ?> metadata)
        || !(metadata.get("managedFields") instanceof List<?> entries)) {
      return owners;
    }
    for (Object entry : entries) {
      if (entry instanceof Map<?, ?> field
          && field.get("manager") instanceof String manager
          && !manager.equals(ourManager)
          && field.get("fieldsV1") instanceof Map<?, ?> fields
          && holds(fields, path, liveObject)) {
        String subresource = field.get("subresource") instanceof String s ? s : "";
        String shown = subresource.isEmpty() ? manager : manager + " (" + subresource + ")";
        if (!owners.contains(shown)) {
          owners.add(shown);
        }
      }
    }
    return owners;
  }

  /** Whether a fieldsV1 tree holds the path (or a field above it as a whole). */
  private static boolean holds(Map<?, ?> fields, List<Segment> path, Map<String, Object> object) {
    Map<?, ?> node = fields;
    for (Segment segment : path) {
      if (isLeaf(node) && node != fields) {
        return true;
      }
      Object next =
          switch (segment) {
            case Segment.Key key -> node.get("f:" + key.name());
            case Segment.Named named -> byName(node, named.name());
            case Segment.Index index -> node.get("i:" + index.index());
          };
      if (!(next instanceof Map<?, ?> child)) {
        return false;
      }
      node = child;
    }
    return true;
  }

  private static Object byName(Map<?, ?> node, String name) {
    for (Map.Entry<?, ?> entry : node.entrySet()) {
      String key = String.valueOf(entry.getKey());
      if (key.startsWith("k:")) {
        try {
          if (PlainJson.MAPPER.readValue(key.substring(2), Map.class).get("name")
                  instanceof String n
              && n.equals(name)) {
            return entry.getValue();
          }
        } catch (JacksonException e) {
          // A key the server wrote that is not JSON names no element: look at the next one.
        }
      }
    }
    return null;
  }

  private static boolean isLeaf(Map<?, ?> node) {
    return node.isEmpty() || node.keySet().stream().allMatch("."::equals);
  }
}
