package dev.tagflow.diff;

import dev.tagflow.PlainJson;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.core.JacksonException;

/**
 * The set of fields one manager owns, as the API server writes it in {@code
 * metadata.managedFields[].fieldsV1}: {@code f:<name>} for a field, {@code k:{...}} for a list
 * element picked by its keys, {@code v:<json>} for a value in a set, {@code i:<n>} by index, and
 * {@code .} for the element itself. Used to trim an object down to what a manager owns, and to cut
 * out what another manager owns.
 */
public final class FieldSet {

  private final Map<String, Object> tree;

  private FieldSet(Map<String, Object> tree) {
    this.tree = tree;
  }

  /** The set in a {@code fieldsV1} tree. */
  public static FieldSet of(Map<String, Object> fieldsV1) {
    return new FieldSet(fieldsV1 == null ? Map.of() : fieldsV1);
  }

  /** The union of several sets. */
  public static FieldSet union(List<FieldSet> sets) {
    Map<String, Object> merged = new LinkedHashMap<>();
    for (FieldSet set : sets) {
      merge(merged, set.tree);
    }
    return new FieldSet(merged);
  }

  /** Whether the set holds no field. */
  public boolean isEmpty() {
    return tree.isEmpty();
  }

  /** A copy of {@code object} holding only the fields in this set. */
  public Map<String, Object> trim(Map<String, Object> object) {
    Object trimmed = trim(object, tree);
    return trimmed instanceof Map<?, ?> ? cast(trimmed) : new LinkedHashMap<>();
  }

  /** Removes the fields in this set from {@code object} (changed in place). */
  public void removeFrom(Map<String, Object> object) {
    remove(object, tree);
  }

  private static Object trim(Object value, Map<String, Object> set) {
    if (isLeaf(set)) {
      return value;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> result = new LinkedHashMap<>();
      for (Map.Entry<String, Object> member : set.entrySet()) {
        if (member.getKey().startsWith("f:")) {
          String name = member.getKey().substring(2);
          if (map.containsKey(name)) {
            result.put(name, trim(map.get(name), cast(member.getValue())));
          }
        }
      }
      return result;
    }
    if (value instanceof List<?> list) {
      List<Object> result = new ArrayList<>();
      for (int index = 0; index < list.size(); index++) {
        Object element = list.get(index);
        Map<String, Object> sub = elementSet(set, element, index);
        if (sub != null) {
          result.add(trim(element, sub));
        }
      }
      return result;
    }
    return value;
  }

  private static void remove(Object value, Map<String, Object> set) {
    if (value instanceof Map<?, ?> raw) {
      Map<String, Object> map = cast(raw);
      for (Map.Entry<String, Object> member : set.entrySet()) {
        if (!member.getKey().startsWith("f:")) {
          continue;
        }
        String name = member.getKey().substring(2);
        Map<String, Object> sub = cast(member.getValue());
        if (isLeaf(sub)) {
          map.remove(name);
        } else if (map.containsKey(name)) {
          remove(map.get(name), sub);
        }
      }
    } else if (value instanceof List<?> raw) {
      List<Object> list = cast(raw);
      int index = 0;
      for (Iterator<Object> it = list.iterator(); it.hasNext(); index++) {
        Object element = it.next();
        Map<String, Object> sub = elementSet(set, element, index);
        if (sub == null) {
          continue;
        }
        if (isLeaf(sub)) {
          it.remove();
        } else {
          remove(element, sub);
        }
      }
    }
  }

  /** The part of the set that applies to one list element, or null when none does. */
  private static Map<String, Object> elementSet(
      Map<String, Object> set, Object element, int index) {
    for (Map.Entry<String, Object> member : set.entrySet()) {
      String key = member.getKey();
      boolean matches =
          (key.startsWith("k:") && element instanceof Map<?, ?> map && keysMatch(key, map))
              || (key.startsWith("v:") && sameJson(parse(key.substring(2)), element))
              || key.equals("i:" + index);
      if (matches) {
        return cast(member.getValue());
      }
    }
    return null;
  }

  private static boolean keysMatch(String key, Map<?, ?> element) {
    if (!(parse(key.substring(2)) instanceof Map<?, ?> keys)) {
      return false;
    }
    return keys.entrySet().stream().allMatch(k -> sameJson(k.getValue(), element.get(k.getKey())));
  }

  /** A leaf: the field as a whole ({@code {}} or only {@code "."}). */
  private static boolean isLeaf(Map<String, Object> set) {
    return set == null || set.isEmpty() || set.keySet().stream().allMatch(k -> k.equals("."));
  }

  private static boolean sameJson(Object a, Object b) {
    if (a instanceof Number && b instanceof Number) {
      return a.toString().equals(b.toString());
    }
    return Objects.equals(a, b);
  }

  private static Object parse(String json) {
    try {
      return PlainJson.MAPPER.readValue(json, Object.class);
    } catch (JacksonException e) {
      return null;
    }
  }

  private static void merge(Map<String, Object> into, Map<String, Object> from) {
    for (Map.Entry<String, Object> entry : from.entrySet()) {
      Object existing = into.get(entry.getKey());
      if (existing instanceof Map<?, ?> a && entry.getValue() instanceof Map<?, ?> b) {
        Map<String, Object> copy = new LinkedHashMap<>(cast(a));
        merge(copy, cast(b));
        into.put(entry.getKey(), copy);
      } else if (existing == null) {
        into.put(entry.getKey(), entry.getValue());
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T cast(Object value) {
    return (T) value;
  }
}
