package dev.tagflow.pipeline.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code java-version} of {@code actions/setup-java}, as its README lists the forms: a major
 * version ({@code 21}, {@code 1.8}), a more specific one ({@code 17.0}, {@code 11.0.4}, {@code
 * 8.0.282+8}), with {@code x} or {@code *} for any ({@code 21.0.x}), early access ({@code 23-ea}),
 * or a semver range ({@code >=17 <22}, {@code ^17.0.2}, {@code ~21.0}, {@code 17 - 21}, {@code 17
 * || 21}).
 */
final class JavaVersionSpec {

  /** One bound: {@code version op}; versions compare on major, minor, patch. */
  private record Bound(int[] version, boolean lower, boolean inclusive) {
    boolean accepts(int[] v) {
      int c = Arrays.compare(v, version);
      return lower ? (inclusive ? c >= 0 : c > 0) : (inclusive ? c <= 0 : c < 0);
    }

    /** The lower bound just past this upper one: {@code >x} from {@code <=x}. */
    Bound flip() {
      return new Bound(version, true, !inclusive);
    }
  }

  private static final Pattern PARTIAL =
      Pattern.compile("v?(\\d+|[xX*])(?:\\.(\\d+|[xX*]))?(?:\\.(\\d+|[xX*]))?(?:\\+(\\d+))?");
  private static final Pattern COMPARATOR =
      Pattern.compile("\\s*(>=|<=|>|<|=|\\^|~)?\\s*([^\\s<>=^~]+)");

  private final String written;
  private final List<List<Bound>> alternatives;
  private final String build;
  private final boolean earlyAccess;

  private JavaVersionSpec(
      String written, List<List<Bound>> alternatives, String build, boolean earlyAccess) {
    this.written = written;
    this.alternatives = alternatives;
    this.build = build;
    this.earlyAccess = earlyAccess;
  }

  /**
   * @throws StepFailure for text that is none of the forms, saying which are
   */
  static JavaVersionSpec parse(String text) {
    String spec = text.strip();
    boolean ea = false;
    if (spec.endsWith("-ea")) {
      ea = true;
      spec = spec.substring(0, spec.length() - 3);
    } else if (spec.matches(".*-ea\\.\\d+$")) {
      ea = true;
      spec = spec.replaceAll("-ea\\.\\d+$", "");
    }
    if (spec.startsWith("1.") && spec.matches("1\\.\\d+(\\..*)?")) {
      spec = spec.substring(2).replace('_', '.');
    }
    List<List<Bound>> alternatives = new ArrayList<>();
    String build = "";
    try {
      for (String alternative : spec.split("\\|\\|")) {
        List<Bound> bounds = new ArrayList<>();
        String a = alternative.strip();
        String[] hyphen = a.split("\\s+-\\s+");
        if (hyphen.length == 2) {
          bounds.add(lowerOf(partial(hyphen[0])));
          bounds.add(upperOf(partial(hyphen[1])));
        } else {
          Matcher m = COMPARATOR.matcher(a);
          int count = 0;
          while (m.find()) {
            count++;
            Integer[] p = partial(m.group(2));
            Matcher plus = PARTIAL.matcher(m.group(2));
            if (plus.matches() && plus.group(4) != null) {
              build = plus.group(4);
            }
            String op = m.group(1) == null ? "" : m.group(1);
            switch (op) {
              case "", "=" -> {
                bounds.add(lowerOf(p));
                bounds.add(upperOf(p));
              }
              case ">=" -> bounds.add(lowerOf(p));
              case ">" -> bounds.add(upperOf(p).flip());
              case "<" -> bounds.add(new Bound(filled(p), false, false));
              case "<=" -> bounds.add(upperOf(p));
              case "^" -> {
                bounds.add(lowerOf(p));
                bounds.add(new Bound(new int[] {p[0] + 1, 0, 0}, false, false));
              }
              case "~" -> {
                bounds.add(lowerOf(p));
                bounds.add(
                    p[1] == null
                        ? new Bound(new int[] {p[0] + 1, 0, 0}, false, false)
                        : new Bound(new int[] {p[0], p[1] + 1, 0}, false, false));
              }
              default -> throw new IllegalArgumentException(op);
            }
          }
          if (count == 0) {
            throw new IllegalArgumentException(a);
          }
        }
        alternatives.add(bounds);
      }
    } catch (IllegalArgumentException e) {
      throw new StepFailure(
          "actions/setup-java: java-version '"
              + text.strip()
              + "' is not a version: use a major version (21), a more specific one (21.0.3,"
              + " 21.0.x, 8.0.282+8), early access (24-ea) or a range (>=17 <22)");
    }
    return new JavaVersionSpec(text.strip(), alternatives, build, ea);
  }

  String written() {
    return written;
  }

  boolean accepts(InstalledJdk jdk) {
    if (earlyAccess != jdk.earlyAccess()) {
      return false;
    }
    if (!build.isEmpty() && !build.equals(jdk.build())) {
      return false;
    }
    for (List<Bound> bounds : alternatives) {
      if (bounds.stream().allMatch(b -> b.accepts(jdk.version()))) {
        return true;
      }
    }
    return false;
  }

  /** A version's numbers, {@code null} for one left out or written {@code x}. */
  private static Integer[] partial(String text) {
    Matcher m = PARTIAL.matcher(text.strip());
    if (!m.matches() || wild(m.group(1))) {
      if (m.matches() && wild(m.group(1))) {
        return new Integer[] {0, null, null, -1}; // any version: '*'
      }
      throw new IllegalArgumentException(text);
    }
    Integer[] p = new Integer[4];
    for (int i = 0; i < 3; i++) {
      String g = m.group(i + 1);
      p[i] = g == null || wild(g) ? null : Integer.valueOf(g);
      if (p[i] == null) {
        break;
      }
    }
    return p;
  }

  private static boolean wild(String g) {
    return g.equals("x") || g.equals("X") || g.equals("*");
  }

  private static int[] filled(Integer[] p) {
    return new int[] {p[0], p[1] == null ? 0 : p[1], p[2] == null ? 0 : p[2]};
  }

  private static Bound lowerOf(Integer[] p) {
    return new Bound(filled(p), true, true);
  }

  /** Below the next version past what the partial leaves open: {@code 17.0} → {@code <17.1.0}. */
  private static Bound upperOf(Integer[] p) {
    if (p.length == 4 && p[3] != null && p[3] == -1) {
      return new Bound(new int[] {Integer.MAX_VALUE, 0, 0}, false, false);
    }
    if (p[1] == null) {
      return new Bound(new int[] {p[0] + 1, 0, 0}, false, false);
    }
    if (p[2] == null) {
      return new Bound(new int[] {p[0], p[1] + 1, 0}, false, false);
    }
    return new Bound(new int[] {p[0], p[1], p[2]}, false, true);
  }
}
