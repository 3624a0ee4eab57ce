package dev.tagflow.yaml;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Checks a scalar written with an explicit type tag ({@code !!int}, {@code !!float}, {@code
 * !!bool}, {@code !!null}, {@code !!timestamp}) against that type, as Kubernetes' own YAML reader
 * does: {@code replicas: !!int +} is an error, not the text "+" (nor a crash, as it was in
 * Jackson). The forms are SnakeYAML's YAML 1.1 ones, those in which the same scalar untagged is
 * read as that type.
 */
final class ScalarTags {

  private static final String CORE = "tag:yaml.org,2002:";

  /** For each checked type: whether a value is of it, and what a person should write instead. */
  private record Type(Pattern form, Pattern alsoForm, String expected) {
    boolean accepts(String value) {
      return form.matcher(value).matches()
          || (alsoForm != null && alsoForm.matcher(value).matches());
    }
  }

  private static final Map<String, Type> TYPES =
      Map.of(
          "int",
          new Type(Resolver.INT, null, "an integer, such as 42, -7, 1_000 or 0x1F"),
          "float",
          new Type(Resolver.FLOAT, Resolver.INT, "a number, such as 1.5, -2e3 or 10"),
          "bool",
          new Type(Resolver.BOOL, null, "true or false (yes/no and on/off are read as those)"),
          "null",
          new Type(Resolver.NULL, Resolver.EMPTY, "null, ~ or nothing"),
          "timestamp",
          new Type(
              Resolver.TIMESTAMP,
              null,
              "a date or a time, such as 2026-12-06 or 2026-12-06T10:00:00Z"));

  private ScalarTags() {}

  /**
   * Why the scalar's value does not fit its explicit tag; empty when it does or has no such tag.
   */
  static Optional<String> mismatch(ScalarEvent scalar) {
    String tag = scalar.getTag();
    if (tag == null || !tag.startsWith(CORE)) {
      return Optional.empty();
    }
    String name = tag.substring(CORE.length());
    Type type = TYPES.get(name);
    if (type == null || type.accepts(scalar.getValue())) {
      return Optional.empty();
    }
    return Optional.of(
        "the value '"
            + scalar.getValue()
            + "' does not fit its tag !!"
            + name
            + ", which needs "
            + type.expected()
            + "; write such a value, or remove the tag to keep the text as it is");
  }
}
