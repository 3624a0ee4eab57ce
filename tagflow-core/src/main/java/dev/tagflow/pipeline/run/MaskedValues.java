package dev.tagflow.pipeline.run;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The values a run must never show: the secrets given to it and what its steps register with {@code
 * ::add-mask::}. Each value is masked as written, line by line when it has several lines, and in
 * base64 at each of the three byte alignments it can have inside a longer base64 text (as GitHub's
 * runner does), so {@code echo $TOKEN | base64} shows {@code ***} too.
 */
final class MaskedValues {

  static final String MASK = "***";

  /** Shorter derived forms (a line of a value, its base64) would mask ordinary text. */
  private static final int MIN_DERIVED = 4;

  /**
   * A line is held back for a value split over lines only when its end matches this much of the
   * value: one or two characters would hold every other line of a live log (a base64 form starts
   * with any letter), and showing one or two characters of a value gives nothing away.
   */
  static final int MIN_PENDING = 3;

  private final Set<String> values = ConcurrentHashMap.newKeySet();

  /** Registers a value and its derived forms; blank values are ignored, as on GitHub. */
  void add(String value) {
    if (value == null || value.isBlank()) {
      return;
    }
    values.add(value);
    if (value.contains("\n") || value.contains("\r")) {
      for (String line : value.split("\r?\n|\r")) {
        if (line.strip().length() >= MIN_DERIVED) {
          values.add(line.strip());
        }
      }
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    for (int skip = 0; skip < 3 && skip < bytes.length; skip++) {
      int whole = (bytes.length - skip) / 3 * 3;
      String encoded =
          Base64.getEncoder().encodeToString(Arrays.copyOfRange(bytes, skip, skip + whole));
      if (encoded.length() >= MIN_DERIVED) {
        values.add(encoded);
      }
    }
  }

  boolean contains(String text) {
    return values.stream().anyMatch(text::contains);
  }

  /** The text with every registered value replaced by {@code ***}. */
  String apply(String text) {
    return render(text, 0, text.length(), ranges(text));
  }

  /** The masked ranges of {@code text}, merged, in order: pairs of start (inclusive), end. */
  List<int[]> ranges(String text) {
    List<int[]> found = new ArrayList<>();
    for (String value : values) {
      for (int at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + 1)) {
        found.add(new int[] {at, at + value.length()});
      }
    }
    found.sort((a, b) -> Integer.compare(a[0], b[0]));
    List<int[]> merged = new ArrayList<>();
    for (int[] range : found) {
      if (!merged.isEmpty() && range[0] <= merged.getLast()[1]) {
        merged.getLast()[1] = Math.max(merged.getLast()[1], range[1]);
      } else {
        merged.add(range);
      }
    }
    return merged;
  }

  /** {@code text[from, to)} with the parts inside {@code ranges} written as {@code ***}. */
  static String render(String text, int from, int to, List<int[]> ranges) {
    StringBuilder out = new StringBuilder(to - from);
    int at = from;
    for (int[] range : ranges) {
      int start = Math.max(range[0], from);
      int end = Math.min(range[1], to);
      if (start >= end || end <= at) {
        continue;
      }
      out.append(text, at, Math.max(at, start)).append(MASK);
      at = end;
    }
    out.append(text, Math.min(at, to), to);
    return out.toString();
  }

  /**
   * The length of the longest end of {@code text} that begins a registered value (a value written
   * across two lines starts so), 0 when none does or it is shorter than {@link #MIN_PENDING}.
   */
  int pendingPrefix(String text) {
    int longest = MIN_PENDING - 1;
    for (String value : values) {
      int max = Math.min(value.length() - 1, text.length());
      for (int n = max; n > longest; n--) {
        if (text.regionMatches(text.length() - n, value, 0, n)) {
          longest = n;
          break;
        }
      }
    }
    return longest < MIN_PENDING ? 0 : longest;
  }
}
