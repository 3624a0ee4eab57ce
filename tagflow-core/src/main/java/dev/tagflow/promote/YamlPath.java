package dev.tagflow.promote;

import dev.tagflow.TagflowException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A place in a values file, written as Helm's {@code --set} writes it: keys joined by dots, a list
 * item by its index in brackets, a dot inside a key escaped with a backslash ({@code image.tag},
 * {@code sidecars[0].image}, {@code podAnnotations.example\.com/rev}).
 */
public record YamlPath(List<Segment> segments) {

  /** One step of a path. */
  public sealed interface Segment {}

  /** A mapping's key. */
  public record Key(String name) implements Segment {}

  /** A list's item, from 0. */
  public record Index(int position) implements Segment {}

  private static final int MAX_LENGTH = 1024;
  private static final int MAX_SEGMENTS = 64;

  public YamlPath {
    segments = List.copyOf(segments);
    if (segments.isEmpty()) {
      throw new IllegalArgumentException("a path has at least one key");
    }
  }

  /**
   * Reads a path.
   *
   * @throws TagflowException (INVALID_INPUT) naming the path and what is wrong with it
   */
  public static YamlPath parse(String text) {
    if (text.isEmpty() || text.length() > MAX_LENGTH) {
      throw invalid(text, "write a path of 1 to " + MAX_LENGTH + " characters, like image.tag");
    }
    List<Segment> segments = new ArrayList<>();
    StringBuilder key = new StringBuilder();
    boolean keyOpen = true;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length() && ".[]\\".indexOf(text.charAt(i + 1)) >= 0) {
        key.append(text.charAt(++i));
      } else if (c == '.') {
        closeKey(text, key, keyOpen, segments);
        keyOpen = true;
      } else if (c == '[') {
        if (keyOpen && !key.isEmpty()) {
          closeKey(text, key, true, segments);
        } else if (keyOpen && segments.isEmpty()) {
          throw invalid(text, "it starts with a list index; start with a key");
        }
        int close = text.indexOf(']', i);
        String digits = close < 0 ? "" : text.substring(i + 1, close);
        if (!digits.matches("0|[1-9][0-9]{0,8}")) {
          throw invalid(text, "[" + digits + (close < 0 ? "" : "]") + " is not a list index");
        }
        segments.add(new Index(Integer.parseInt(digits)));
        i = close;
        keyOpen = false;
      } else if (c == ']') {
        throw invalid(text, "a ']' without its '['; escape it as \\]");
      } else {
        if (!keyOpen) {
          throw invalid(text, "put a '.' between a list index and the next key");
        }
        if (Character.isISOControl(c)) {
          throw invalid(text, "it holds a control character");
        }
        key.append(c);
      }
    }
    if (keyOpen) {
      closeKey(text, key, true, segments);
    }
    if (segments.size() > MAX_SEGMENTS) {
      throw invalid(text, "it has more than " + MAX_SEGMENTS + " steps");
    }
    return new YamlPath(segments);
  }

  private static void closeKey(String text, StringBuilder key, boolean open, List<Segment> out) {
    if (!open) {
      return;
    }
    if (key.isEmpty()) {
      throw invalid(text, "it has an empty key (two dots, or a dot at an end)");
    }
    out.add(new Key(key.toString()));
    key.setLength(0);
  }

  private static TagflowException invalid(String text, String why) {
    return TagflowException.invalidInput(
        "'" + text + "' is not a values path: " + why + " (write keys joined by dots: image.tag)");
  }

  /** The path up to and including the step at {@code index}, as written. */
  String prefix(int index) {
    return new YamlPath(segments.subList(0, index + 1)).toString();
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    for (Segment segment : segments) {
      switch (segment) {
        case Key key -> {
          if (!s.isEmpty()) {
            s.append('.');
          }
          s.append(
              key.name()
                  .chars()
                  .mapToObj(
                      c -> ".[]\\".indexOf(c) >= 0 ? "\\" + (char) c : String.valueOf((char) c))
                  .collect(Collectors.joining()));
        }
        case Index index -> s.append('[').append(index.position()).append(']');
      }
    }
    return s.toString();
  }
}
