package dev.tagflow.source;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A semantic version (semver.org 2.0.0), ordered by precedence: numbers first, then a release ranks
 * above its prereleases, whose dot-separated identifiers compare numerically when numeric, in ASCII
 * order otherwise, numeric below alphanumeric, a shorter list below a longer one. Build metadata is
 * kept but never compared.
 */
public record SemVer(long major, long minor, long patch, List<String> prerelease, String build)
    implements Comparable<SemVer> {

  private static final Pattern STRICT =
      Pattern.compile(
          "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
              + "(?:-((?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)"
              + "(?:\\.(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*))*))?"
              + "(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?");

  public SemVer {
    if (major < 0 || minor < 0 || patch < 0) {
      throw new IllegalArgumentException("version numbers cannot be negative");
    }
    prerelease = List.copyOf(prerelease);
    build = build == null ? "" : build;
  }

  public static SemVer of(long major, long minor, long patch) {
    return new SemVer(major, minor, patch, List.of(), "");
  }

  /** Parses exactly {@code MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]}, without any prefix. */
  public static Optional<SemVer> parse(String text) {
    Matcher m = STRICT.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new SemVer(
              Long.parseLong(m.group(1)),
              Long.parseLong(m.group(2)),
              Long.parseLong(m.group(3)),
              m.group(4) == null ? List.of() : Arrays.asList(m.group(4).split("\\.")),
              m.group(5)));
    } catch (NumberFormatException tooLarge) {
      return Optional.empty();
    }
  }

  public boolean isPrerelease() {
    return !prerelease.isEmpty();
  }

  /** Whether both have the same major, minor and patch numbers. */
  boolean sameNumbers(SemVer other) {
    return major == other.major && minor == other.minor && patch == other.patch;
  }

  @Override
  public int compareTo(SemVer other) {
    int c = Long.compare(major, other.major);
    if (c == 0) {
      c = Long.compare(minor, other.minor);
    }
    if (c == 0) {
      c = Long.compare(patch, other.patch);
    }
    if (c != 0) {
      return c;
    }
    if (prerelease.isEmpty() || other.prerelease.isEmpty()) {
      // A release ranks above any of its prereleases: 1.0.0-rc.1 < 1.0.0.
      return Boolean.compare(prerelease.isEmpty(), other.prerelease.isEmpty());
    }
    for (int i = 0; i < Math.min(prerelease.size(), other.prerelease.size()); i++) {
      c = compareIdentifiers(prerelease.get(i), other.prerelease.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(prerelease.size(), other.prerelease.size());
  }

  private static int compareIdentifiers(String a, String b) {
    boolean aNumeric = a.chars().allMatch(Character::isDigit);
    boolean bNumeric = b.chars().allMatch(Character::isDigit);
    if (aNumeric && bNumeric) {
      // Compare as numbers of any length: by length first, since there are no leading zeros.
      return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    }
    if (aNumeric != bNumeric) {
      return aNumeric ? -1 : 1;
    }
    return a.compareTo(b);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder().append(major).append('.').append(minor).append('.');
    s.append(patch);
    if (!prerelease.isEmpty()) {
      s.append('-').append(String.join(".", prerelease));
    }
    if (!build.isEmpty()) {
      s.append('+').append(build);
    }
    return s.toString();
  }
}
