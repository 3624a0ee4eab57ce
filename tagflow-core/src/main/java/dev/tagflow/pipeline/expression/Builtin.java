package dev.tagflow.pipeline.expression;

import java.util.Locale;
import java.util.Optional;

/** The functions an expression may call, with how many arguments each takes. */
enum Builtin {
  CONTAINS("contains", 2, 2),
  STARTS_WITH("startsWith", 2, 2),
  ENDS_WITH("endsWith", 2, 2),
  FORMAT("format", 1, 255),
  JOIN("join", 1, 2),
  TO_JSON("toJSON", 1, 1),
  FROM_JSON("fromJSON", 1, 1),
  HASH_FILES("hashFiles", 1, 255),
  SUCCESS("success", 0, 0),
  FAILURE("failure", 0, 0),
  ALWAYS("always", 0, 0),
  CANCELLED("cancelled", 0, 0);

  final String spelling;
  final int minArguments;
  final int maxArguments;

  Builtin(String spelling, int minArguments, int maxArguments) {
    this.spelling = spelling;
    this.minArguments = minArguments;
    this.maxArguments = maxArguments;
  }

  /** The function of that name, ignoring case as GitHub does ({@code toJson}, {@code TOJSON}). */
  static Optional<Builtin> named(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (Builtin builtin : values()) {
      if (builtin.spelling.toLowerCase(Locale.ROOT).equals(lower)) {
        return Optional.of(builtin);
      }
    }
    return Optional.empty();
  }

  boolean isStatus() {
    return this == SUCCESS || this == FAILURE || this == ALWAYS || this == CANCELLED;
  }

  static String list() {
    StringBuilder names = new StringBuilder();
    for (Builtin builtin : values()) {
      names.append(names.isEmpty() ? "" : ", ").append(builtin.spelling);
    }
    return names.toString();
  }
}
