package dev.tagflow.diff;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An RFC 6901 JSON pointer ({@code /spec/replicas}, {@code
 * /metadata/labels/app.kubernetes.io~1name}) that can remove what it points at from a JSON tree.
 */
public record JsonPointer(List<String> tokens) {

  /** Parses a pointer; {@code ""} is the whole document. */
  public static JsonPointer parse(String text) {
    if (text.isEmpty()) {
      return new JsonPointer(List.of());
    }
    if (!text.startsWith("/")) {
      throw new IllegalArgumentException(
          "a JSON pointer starts with '/', like /spec/replicas; got '" + text + "'");
    }
    List<String> tokens = new ArrayList<>();
    for (String raw : text.substring(1).split("/", -1)) {
      tokens.add(raw.replace("~1", "/").replace("~0", "~"));
    }
    return new JsonPointer(List.copyOf(tokens));
  }

  /** Removes the value at this pointer from the tree, if it is there. */
  public void removeFrom(Map<String, Object> tree) {
    if (tokens.isEmpty()) {
      return;
    }
    Object current = tree;
    for (int i = 0; i < tokens.size() - 1; i++) {
      current = child(current, tokens.get(i));
      if (current == null) {
        return;
      }
    }
    String last = tokens.get(tokens.size() - 1);
    if (current instanceof Map<?, ?> map) {
      map.remove(last);
    } else if (current instanceof List<?> list && isIndex(last, list)) {
      list.remove(Integer.parseInt(last));
    }
  }

  private static Object child(Object node, String token) {
    if (node instanceof Map<?, ?> map) {
      return map.get(token);
    }
    if (node instanceof List<?> list && isIndex(token, list)) {
      return list.get(Integer.parseInt(token));
    }
    return null;
  }

  private static boolean isIndex(String token, List<?> list) {
    return token.matches("\\d+") && Integer.parseInt(token) < list.size();
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    for (String token : tokens) {
      text.append('/').append(token.replace("~", "~0").replace("/", "~1"));
    }
    return text.toString();
  }
}
