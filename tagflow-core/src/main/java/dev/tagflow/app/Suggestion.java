package dev.tagflow.app;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** The allowed name closest to a misspelt one, for "did you mean" in messages. */
public final class Suggestion {

  private Suggestion() {}

  /** The closest name within two edits (ignoring case), if any. */
  public static Optional<String> closest(String wrong, Collection<String> allowed) {
    String w = wrong.toLowerCase(Locale.ROOT);
    return allowed.stream()
        .filter(a -> distance(w, a.toLowerCase(Locale.ROOT)) <= 2)
        .min(Comparator.comparingInt(a -> distance(w, a.toLowerCase(Locale.ROOT))));
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
