package dev.tagflow.server.rbac;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads policy text: one line per rule, fields separated by commas, {@code #} starts a comment.
 * {@code p, subject, resource, action, object, allow|deny} and {@code g, subject, role}. Every
 * problem names its line and column; one problem refuses the whole text.
 */
public final class PolicyParser {

  /** The longest policy text read, so that a runaway file cannot fill the heap. */
  static final int MAX_CHARS = 1024 * 1024;

  /** The outcome of a parse. */
  public sealed interface Result {
    /** Every line understood. */
    record Parsed(Policy policy) implements Result {}

    /** At least one line refused; the first few problems, in order. */
    record Refused(List<PolicyError> errors) implements Result {}
  }

  private PolicyParser() {}

  /** Parses {@code text}; {@code source} names it in messages. */
  public static Result parse(String source, String text) {
    List<PolicyError> errors = new ArrayList<>();
    if (text.length() > MAX_CHARS) {
      errors.add(
          new PolicyError(
              source,
              1,
              1,
              "the policy has " + text.length() + " characters; at most " + MAX_CHARS));
      return new Result.Refused(errors);
    }
    List<Policy.Rule> rules = new ArrayList<>();
    Map<String, Set<String>> grants = new HashMap<>();
    String[] lines = text.split("\r?\n", -1);
    for (int index = 0; index < lines.length && errors.size() < 20; index++) {
      parseLine(source, index + 1, lines[index], rules, grants, errors);
    }
    return errors.isEmpty()
        ? new Result.Parsed(new Policy(rules, grants))
        : new Result.Refused(List.copyOf(errors));
  }

  /** A field of a line and the column it starts at. */
  private record Field(String text, int column) {}

  private static void parseLine(
      String source,
      int number,
      String line,
      List<Policy.Rule> rules,
      Map<String, Set<String>> grants,
      List<PolicyError> errors) {
    String content = line;
    int hash = content.indexOf('#');
    if (hash >= 0) {
      content = content.substring(0, hash);
    }
    if (content.isBlank()) {
      return;
    }
    List<Field> fields = fields(content);
    for (Field field : fields) {
      if (field.text().isEmpty()) {
        errors.add(new PolicyError(source, number, field.column(), "an empty field"));
        return;
      }
      for (int i = 0; i < field.text().length(); i++) {
        char c = field.text().charAt(i);
        if (Character.isWhitespace(c) || Character.isISOControl(c) || c == '"') {
          errors.add(
              new PolicyError(
                  source,
                  number,
                  field.column() + i,
                  "a field holds "
                      + (c == '"' ? "a quote" : "a space or control character")
                      + "; fields are single words separated by commas"));
          return;
        }
      }
    }
    Field kind = fields.get(0);
    switch (kind.text()) {
      case "p" -> {
        if (fields.size() != 6) {
          errors.add(
              new PolicyError(
                  source,
                  number,
                  kind.column(),
                  "a 'p' line has 6 fields (p, subject, resource, action, object, allow|deny),"
                      + " this one "
                      + fields.size()));
          return;
        }
        Field resource = fields.get(2);
        Field action = fields.get(3);
        Field effect = fields.get(5);
        if (!resource.text().equals("*") && !Catalog.knows(resource.text())) {
          errors.add(
              new PolicyError(
                  source,
                  number,
                  resource.column(),
                  "no resource '"
                      + resource.text()
                      + "'; known: * "
                      + String.join(
                          " ", Catalog.resources().stream().map(Catalog.Resource::name).toList())));
          return;
        }
        if (!action.text().contains("*")) {
          Set<String> known =
              resource.text().equals("*") ? allActions() : Catalog.actionsOf(resource.text());
          if (!known.contains(action.text())) {
            errors.add(
                new PolicyError(
                    source,
                    number,
                    action.column(),
                    "no action '"
                        + action.text()
                        + "' on "
                        + resource.text()
                        + "; known: * "
                        + String.join(" ", known.stream().sorted().toList())));
            return;
          }
        }
        if (!effect.text().equals("allow") && !effect.text().equals("deny")) {
          errors.add(
              new PolicyError(
                  source,
                  number,
                  effect.column(),
                  "the effect is 'allow' or 'deny', not '" + effect.text() + "'"));
          return;
        }
        rules.add(
            new Policy.Rule(
                fields.get(1).text(),
                resource.text(),
                action.text(),
                ObjectPattern.of(fields.get(4).text()),
                effect.text().equals("allow")));
      }
      case "g" -> {
        if (fields.size() != 3) {
          errors.add(
              new PolicyError(
                  source,
                  number,
                  kind.column(),
                  "a 'g' line has 3 fields (g, user-or-group, role), this one " + fields.size()));
          return;
        }
        grants
            .computeIfAbsent(fields.get(1).text(), k -> new HashSet<>())
            .add(fields.get(2).text());
      }
      default ->
          errors.add(
              new PolicyError(
                  source,
                  number,
                  kind.column(),
                  "a line starts with 'p' (a permission) or 'g' (a grant), not '"
                      + kind.text()
                      + "'"));
    }
  }

  private static Set<String> allActions() {
    Set<String> all = new HashSet<>();
    Catalog.resources().forEach(r -> all.addAll(r.actions()));
    return all;
  }

  private static List<Field> fields(String content) {
    List<Field> fields = new ArrayList<>();
    int start = 0;
    while (true) {
      int comma = content.indexOf(',', start);
      String raw = comma < 0 ? content.substring(start) : content.substring(start, comma);
      int lead = 0;
      while (lead < raw.length() && (raw.charAt(lead) == ' ' || raw.charAt(lead) == '\t')) {
        lead++;
      }
      String text = raw.strip();
      // An empty field is placed where it starts, a word at its first character.
      fields.add(new Field(text, text.isEmpty() ? start + 1 : start + lead + 1));
      if (comma < 0) {
        return fields;
      }
      start = comma + 1;
    }
  }
}
