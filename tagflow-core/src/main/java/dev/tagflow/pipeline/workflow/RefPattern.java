package dev.tagflow.pipeline.workflow;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * One branch or tag filter pattern, with GitHub's rules ("Filter pattern cheat sheet" of the
 * workflow syntax):
 *
 * <ul>
 *   <li>{@code *} matches any characters but {@code /}; {@code **} any characters; {@code **}{@code
 *       /} any number of whole directories, none included ({@code **}{@code /README.md} matches
 *       {@code README.md}, as the cheat sheet's path examples show);
 *   <li>{@code ?} makes the character (or {@code []} class) before it optional; {@code +} repeats
 *       it one or more times; at the start of a pattern both are plain characters;
 *   <li>{@code [CB]}, {@code [0-9a-z]} match one character listed or in a range; ranges only within
 *       {@code a-z}, {@code A-Z} or {@code 0-9}, and the listed characters alphanumeric;
 *   <li>{@code \} makes the next character plain;
 *   <li>{@code !} at the start makes it a negative pattern (see {@link RefFilter} for the order).
 * </ul>
 *
 * <p>A pattern is matched against the whole name ({@code v1.2.3}, {@code releases/10}) by
 * simulating its automaton, so matching costs at most name length × pattern length steps whatever
 * the pattern: a hostile {@code *a*a*a*a*b} cannot make it backtrack.
 */
public final class RefPattern {

  /** Longer patterns are refused; Git refs are far shorter and a pattern is matched per push. */
  public static final int MAX_LENGTH = 1024;

  private final String text;
  private final boolean negative;
  private final List<Atom> atoms;

  private RefPattern(String text, boolean negative, List<Atom> atoms) {
    this.text = text;
    this.negative = negative;
    this.atoms = atoms;
  }

  /** A pattern that could not be read, and why, with the character's place in the pattern. */
  public static final class Invalid extends Exception {
    private final int offset;

    Invalid(int offset, String message) {
      super(message);
      this.offset = offset;
    }

    /** 0-based place in the pattern as written, {@code !} included. */
    public int offset() {
      return offset;
    }
  }

  /**
   * Reads a pattern as written in a workflow.
   *
   * @throws Invalid when a bracket is not closed or holds what GitHub refuses, a {@code \} ends the
   *     pattern, or the pattern is empty or too long
   */
  public static RefPattern parse(String pattern) throws Invalid {
    if (pattern.length() > MAX_LENGTH) {
      throw new Invalid(MAX_LENGTH, "is longer than " + MAX_LENGTH + " characters");
    }
    boolean negative = pattern.startsWith("!");
    int start = negative ? 1 : 0;
    if (pattern.length() == start) {
      throw new Invalid(start, negative ? "'!' negates nothing" : "is empty");
    }
    List<Atom> atoms = new ArrayList<>();
    int i = start;
    while (i < pattern.length()) {
      char c = pattern.charAt(i);
      switch (c) {
        case '*' -> {
          boolean any = i + 1 < pattern.length() && pattern.charAt(i + 1) == '*';
          if (any && directories(pattern, i)) {
            // "**/" is any number of whole directories, none included: "**/x" matches "x".
            atoms.add(new Atom(CharSet.ANY, 0, true, Dir.FRESH));
            atoms.add(new Atom(CharSet.ANY, 1, true, Dir.INSIDE));
            i += 3;
          } else {
            atoms.add(new Atom(any ? CharSet.ANY : CharSet.NOT_SLASH, 0, true, Dir.NONE));
            i += any ? 2 : 1;
          }
        }
        case '?', '+' -> {
          if (i == start) {
            atoms.add(new Atom(CharSet.literal(c), 1, false, Dir.NONE));
          } else {
            Atom last = atoms.removeLast();
            atoms.add(last.quantified(c));
          }
          i++;
        }
        case '[' -> {
          int end = pattern.indexOf(']', i + 1);
          if (end < 0) {
            throw new Invalid(i, "has '[' without a closing ']'");
          }
          atoms.add(new Atom(CharSet.bracket(pattern, i + 1, end), 1, false, Dir.NONE));
          i = end + 1;
        }
        case '\\' -> {
          if (i + 1 >= pattern.length()) {
            throw new Invalid(i, "ends with '\\', which escapes nothing");
          }
          atoms.add(new Atom(CharSet.literal(pattern.charAt(i + 1)), 1, false, Dir.NONE));
          i += 2;
        }
        default -> {
          atoms.add(new Atom(CharSet.literal(c), 1, false, Dir.NONE));
          i++;
        }
      }
    }
    return new RefPattern(pattern, negative, List.copyOf(atoms));
  }

  /** The pattern as written. */
  public String text() {
    return text;
  }

  /** Whether it starts with {@code !}. */
  public boolean negative() {
    return negative;
  }

  /** Whether the pattern (without its {@code !}) matches the whole name. */
  public boolean matches(String name) {
    int n = atoms.size();
    BitSet states = new BitSet(n + 1);
    states.set(0);
    close(states);
    for (int p = 0; p < name.length() && !states.isEmpty(); p++) {
      char c = name.charAt(p);
      BitSet next = new BitSet(n + 1);
      for (int s = states.nextSetBit(0); s >= 0 && s < n; s = states.nextSetBit(s + 1)) {
        Atom atom = atoms.get(s);
        if (atom.dir() != Dir.NONE) {
          // Inside "**/": read on; a slash may end the directories there.
          next.set(atom.dir() == Dir.FRESH ? s + 1 : s);
          if (c == '/') {
            next.set(atom.dir() == Dir.FRESH ? s + 2 : s + 1);
          }
        } else if (atom.chars().contains(c)) {
          next.set(atom.repeats() ? s : s + 1);
          if (atom.repeats()) {
            next.set(s + 1);
          }
        }
      }
      close(next);
      states = next;
    }
    return states.get(n);
  }

  /** Adds the states reachable without reading a character: past atoms that may match nothing. */
  private void close(BitSet states) {
    for (int s = 0; s < atoms.size(); s++) {
      if (states.get(s) && atoms.get(s).dir() == Dir.FRESH) {
        states.set(s + 2); // no directory at all
      } else if (states.get(s) && atoms.get(s).min() == 0) {
        states.set(s + 1);
      }
    }
  }

  @Override
  public String toString() {
    return text;
  }

  /**
   * One character class with how often it may occur: {@code min} 0 or 1, and at most once or any
   * number of times. A state that repeats may stay after reading a character.
   */
  private record Atom(CharSet chars, int min, boolean repeats, Dir dir) {

    /** The atom with {@code ?} or {@code +} after it, folded into one quantifier. */
    Atom quantified(char quantifier) {
      return quantifier == '?' ? new Atom(chars, 0, repeats, dir) : new Atom(chars, min, true, dir);
    }
  }

  /**
   * The two states of a {@code **}{@code /} prefix: before any of it is read ({@code FRESH}, which
   * may be skipped whole), and inside it ({@code INSIDE}, left only by reading a slash).
   */
  private enum Dir {
    NONE,
    FRESH,
    INSIDE
  }

  /** Whether the {@code **} at {@code i} is followed by a slash that no quantifier modifies. */
  private static boolean directories(String pattern, int i) {
    return i + 2 < pattern.length()
        && pattern.charAt(i + 2) == '/'
        && (i + 3 >= pattern.length()
            || (pattern.charAt(i + 3) != '?' && pattern.charAt(i + 3) != '+'));
  }

  /** Characters one atom matches. */
  private record CharSet(BitSet ascii, boolean all, boolean slash) {

    static final CharSet ANY = new CharSet(null, true, true);
    static final CharSet NOT_SLASH = new CharSet(null, true, false);

    static CharSet literal(char c) {
      BitSet set = new BitSet();
      set.set(c);
      return new CharSet(set, false, c == '/');
    }

    static CharSet bracket(String pattern, int from, int to) throws Invalid {
      if (from == to) {
        throw new Invalid(from - 1, "has empty brackets '[]'");
      }
      BitSet set = new BitSet(128);
      for (int i = from; i < to; i++) {
        char c = pattern.charAt(i);
        if (!alphanumeric(c)) {
          throw new Invalid(
              i,
              "has '"
                  + c
                  + "' in brackets; brackets hold letters, digits and ranges a-z, A-Z, 0-9"
                  + " (write other characters outside them, escaped with \\ if special)");
        }
        if (i + 2 < to && pattern.charAt(i + 1) == '-') {
          char last = pattern.charAt(i + 2);
          if (!sameRange(c, last) || last < c) {
            throw new Invalid(
                i, "has the range " + c + "-" + last + "; ranges are within a-z, A-Z or 0-9");
          }
          set.set(c, last + 1);
          i += 2;
        } else {
          set.set(c);
        }
      }
      return new CharSet(set, false, false);
    }

    boolean contains(char c) {
      if (all) {
        return slash || c != '/';
      }
      return ascii.get(c);
    }

    private static boolean alphanumeric(char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static boolean sameRange(char a, char b) {
      return (Character.isDigit(a) && Character.isDigit(b))
          || (a >= 'a' && a <= 'z' && b >= 'a' && b <= 'z')
          || (a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z');
    }
  }
}
