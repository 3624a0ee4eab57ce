package dev.tagflow.source;

import dev.tagflow.TagflowException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A range of versions in the syntax of npm and Helm: {@code 1.2.x}, {@code ~1.2}, {@code ^1},
 * {@code >=1.2.0 <2.0.0}, {@code 1.0.0 - 1.4.0}, {@code *}, and alternatives joined by {@code ||}.
 *
 * <p>Versions in the range may carry the prefix of the tags they stand for ({@code v1.2.x}, {@code
 * prod-v^1.2}); all versions of one range must carry the same one. As in npm, a prerelease matches
 * only when a comparator of the same alternative names a prerelease of the same major.minor.patch,
 * so {@code ^1} never picks {@code 1.5.0-rc.1} but {@code >=1.5.0-rc.0 <2} does.
 *
 * @param text the range as written
 * @param prefix the tag prefix written before the versions, {@code ""} when there is none
 * @param alternatives sets of comparators that must all hold; the range holds when any set does
 */
public record SemVerRange(String text, String prefix, List<List<Comparator>> alternatives) {

  /** One bound: {@code >=1.2.0}. */
  public record Comparator(Operator operator, SemVer version) {
    boolean test(SemVer v) {
      int c = v.compareTo(version);
      return switch (operator) {
        case EQ -> c == 0;
        case GT -> c > 0;
        case GTE -> c >= 0;
        case LT -> c < 0;
        case LTE -> c <= 0;
      };
    }
  }

  /** How a comparator compares. */
  public enum Operator {
    EQ,
    GT,
    GTE,
    LT,
    LTE
  }

  private static final Pattern PARTIAL =
      Pattern.compile(
          "(?:(?<before>[A-Za-z][A-Za-z0-9_./-]*?)(?=>=|<=|>|<|=|~|\\^))?"
              + "(?<op>>=|<=|>|<|=|~>|~|\\^)?"
              + "(?<prefix>(?:[A-Za-z][A-Za-z0-9_./-]*?)?)"
              + "(?<major>0|[1-9]\\d*|[xX*])"
              + "(?:\\.(?<minor>0|[1-9]\\d*|[xX*]))?"
              + "(?:\\.(?<patch>0|[1-9]\\d*|[xX*]))?"
              + "(?:-(?<pre>[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?"
              + "(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?");

  private static final Pattern HYPHEN = Pattern.compile("(\\S+)\\s+-\\s+(\\S+)");

  private static final SemVer ZERO = SemVer.of(0, 0, 0);

  /** Comparators no version passes. */
  private static final List<Comparator> NOTHING = List.of(new Comparator(Operator.LT, ZERO));

  public SemVerRange {
    alternatives = alternatives.stream().map(List::copyOf).toList();
  }

  /**
   * Parses a range.
   *
   * @throws TagflowException (INVALID_INPUT) naming the part that is not a version
   */
  public static SemVerRange parse(String text) {
    return tryParse(text)
        .orElseThrow(
            () ->
                TagflowException.invalidInput(
                    "'"
                        + text
                        + "' is not a version range; write e.g. 1.2.x, ~1.2, ^1, '>=1.2.0 <2.0.0'"
                        + " or *, optionally with the tag prefix: v1.2.x"));
  }

  /** Parses a range, or says it is not one. */
  public static Optional<SemVerRange> tryParse(String text) {
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      return Optional.empty();
    }
    List<List<Comparator>> alternatives = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    for (String alternative : trimmed.split("\\|\\|", -1)) {
      Optional<List<Comparator>> set = parseSet(alternative.strip(), prefixes);
      if (set.isEmpty()) {
        return Optional.empty();
      }
      alternatives.add(set.get());
    }
    if (prefixes.stream().distinct().count() > 1) {
      return Optional.empty();
    }
    return Optional.of(
        new SemVerRange(trimmed, prefixes.isEmpty() ? "" : prefixes.getFirst(), alternatives));
  }

  /** Whether the version is in the range. */
  public boolean matches(SemVer version) {
    return alternatives.stream().anyMatch(set -> matches(set, version));
  }

  /** The highest of the versions that are in the range. */
  public Optional<SemVer> highest(Collection<SemVer> versions) {
    return versions.stream().filter(this::matches).max(SemVer::compareTo);
  }

  /** Whether the range names a prerelease anywhere, and so may pick one. */
  public boolean namesPrerelease() {
    return alternatives.stream().flatMap(List::stream).anyMatch(c -> c.version().isPrerelease());
  }

  @Override
  public String toString() {
    return text;
  }

  private static boolean matches(List<Comparator> set, SemVer version) {
    if (!set.stream().allMatch(c -> c.test(version))) {
      return false;
    }
    if (!version.isPrerelease()) {
      return true;
    }
    return set.stream()
        .anyMatch(c -> c.version().isPrerelease() && c.version().sameNumbers(version));
  }

  private static Optional<List<Comparator>> parseSet(String set, List<String> prefixes) {
    if (set.isEmpty()) {
      return Optional.of(List.of());
    }
    Matcher hyphen = HYPHEN.matcher(set);
    if (hyphen.matches()) {
      Optional<Partial> low = Partial.parse(hyphen.group(1));
      Optional<Partial> high = Partial.parse(hyphen.group(2));
      if (low.isEmpty() || high.isEmpty() || low.get().op() != null || high.get().op() != null) {
        return Optional.empty();
      }
      prefixes.add(low.get().prefix());
      prefixes.add(high.get().prefix());
      List<Comparator> out = new ArrayList<>(low.get().withOp(">=").comparators());
      out.addAll(high.get().withOp("<=").comparators());
      return Optional.of(out);
    }
    // Allow "> = 1.2" style spacing between an operator and its version.
    String joined = set.replaceAll("(>=|<=|>|<|=|~>|~|\\^)\\s+", "$1");
    List<Comparator> out = new ArrayList<>();
    for (String token : joined.split("\\s+")) {
      Optional<Partial> partial = Partial.parse(token);
      if (partial.isEmpty()) {
        return Optional.empty();
      }
      if (partial.get().major() != null || !partial.get().prefix().isEmpty()) {
        prefixes.add(partial.get().prefix());
      }
      out.addAll(partial.get().comparators());
    }
    return Optional.of(out);
  }

  /** A version as written in a range, where any missing or x part is a wildcard (null). */
  private record Partial(
      String op, String prefix, Long major, Long minor, Long patch, List<String> pre) {

    static Optional<Partial> parse(String token) {
      Matcher m = PARTIAL.matcher(token);
      if (!m.matches()) {
        return Optional.empty();
      }
      String before = m.group("before") == null ? "" : m.group("before");
      String after = m.group("prefix");
      // Not number(): a major past Long.MAX_VALUE is refused below, with the other parts.
      boolean wildcardMajor = isWildcard(m.group("major"));
      // A prefix goes either side of the operator, not both; and "feature/x" is a branch name,
      // not "any version tagged feature/*", so a prefix needs a number after it.
      if ((!before.isEmpty() && !after.isEmpty())
          || (!(before + after).isEmpty() && wildcardMajor)) {
        return Optional.empty();
      }
      try {
        Long major = number(m.group("major"));
        Long minor = major == null ? null : number(m.group("minor"));
        Long patch = minor == null ? null : number(m.group("patch"));
        if (m.group("pre") != null && patch == null) {
          return Optional.empty();
        }
        List<String> pre =
            m.group("pre") == null ? List.of() : Arrays.asList(m.group("pre").split("\\."));
        return Optional.of(new Partial(m.group("op"), before + after, major, minor, patch, pre));
      } catch (NumberFormatException tooLarge) {
        return Optional.empty();
      }
    }

    static Long number(String part) {
      return part == null || isWildcard(part) ? null : Long.parseLong(part);
    }

    static boolean isWildcard(String part) {
      return part.equalsIgnoreCase("x") || part.equals("*");
    }

    Partial withOp(String newOp) {
      return new Partial(newOp, prefix, major, minor, patch, pre);
    }

    SemVer floor() {
      return new SemVer(
          major == null ? 0 : major, minor == null ? 0 : minor, patch == null ? 0 : patch, pre, "");
    }

    /**
     * The first version above every version this partial stands for; empty when there is none, for
     * a part at {@code Long.MAX_VALUE}: {@code 9223372036854775807.x} has no upper bound.
     */
    Optional<SemVer> ceiling() {
      return successor(major, minor, null);
    }

    List<Comparator> comparators() {
      String operator = op == null ? "=" : op;
      if (major == null) {
        // "*", "x", ">=*": anything; "<*", ">*": nothing.
        return operator.equals("<") || operator.equals(">") ? NOTHING : List.of();
      }
      boolean exact = patch != null;
      return switch (operator) {
        case "=" ->
            exact ? List.of(new Comparator(Operator.EQ, floor())) : from(floor(), ceiling());
        case "~", "~>" -> from(floor(), ceiling());
        case "^" -> from(floor(), caretCeiling());
        case ">" ->
            exact
                ? List.of(new Comparator(Operator.GT, floor()))
                : ceiling().map(above -> List.of(gte(above))).orElse(NOTHING);
        case ">=" -> List.of(gte(floor()));
        case "<" -> List.of(lt(floor()));
        case "<=" ->
            exact
                ? List.of(new Comparator(Operator.LTE, floor()))
                : ceiling().map(above -> List.of(lt(above))).orElse(List.of());
        default -> throw new IllegalStateException("operator " + operator);
      };
    }

    /** ^ allows changes that do not modify the left-most non-zero number. */
    private Optional<SemVer> caretCeiling() {
      if (major > 0 || minor == null) {
        return successor(major, null, null);
      }
      if (minor > 0 || patch == null) {
        return successor(0, minor, null);
      }
      return successor(0, 0L, patch);
    }

    /** From {@code low} up to, not including, {@code high}; with no end when there is no high. */
    private static List<Comparator> from(SemVer low, Optional<SemVer> high) {
      return high.map(h -> List.of(gte(low), lt(h))).orElse(List.of(gte(low)));
    }

    /**
     * The first version after every version whose parts from the first null on are any, carrying
     * into the part before when a part is at {@code Long.MAX_VALUE}: {@code (1, MAX, null)} gives
     * 2.0.0. Empty when even the major is at {@code Long.MAX_VALUE}.
     */
    private static Optional<SemVer> successor(long major, Long minor, Long patch) {
      if (patch != null && patch < Long.MAX_VALUE) {
        return Optional.of(SemVer.of(major, minor, patch + 1));
      }
      if (minor != null && minor < Long.MAX_VALUE) {
        return Optional.of(SemVer.of(major, minor + 1, 0));
      }
      return major < Long.MAX_VALUE ? Optional.of(SemVer.of(major + 1, 0, 0)) : Optional.empty();
    }

    private static Comparator gte(SemVer v) {
      return new Comparator(Operator.GTE, v);
    }

    private static Comparator lt(SemVer v) {
      return new Comparator(Operator.LT, v);
    }
  }
}
