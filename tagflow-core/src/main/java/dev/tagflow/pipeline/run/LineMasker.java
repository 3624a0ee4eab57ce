package dev.tagflow.pipeline.run;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Masks one stream of lines, including a value written across lines ({@code fold}, a wrapped key):
 * while the end of the lines so far begins a registered value, those lines are held back until the
 * next ones show whether the value goes on, so every part of it is masked. Other lines pass at
 * once, so the log stays live; what is held is at most one value's length plus a line. Not
 * thread-safe: one per stream.
 */
final class LineMasker {

  private final MaskedValues mask;
  private final BiConsumer<LogLine.Kind, String> out;
  private final List<String> held = new ArrayList<>();
  private final List<LogLine.Kind> kinds = new ArrayList<>();
  private int head; // chars at the start of the first held line already known to be a value's end

  LineMasker(MaskedValues mask, BiConsumer<LogLine.Kind, String> out) {
    this.mask = mask;
    this.out = out;
  }

  void line(LogLine.Kind kind, String raw) {
    held.add(raw);
    kinds.add(kind);
    String joined = String.join("", held);
    int pending = mask.pendingPrefix(joined);
    emit(joined, pending == 0 ? joined.length() : joined.length() - pending, pending == 0);
  }

  /** Writes what is held: the stream ended. */
  void flush() {
    if (!held.isEmpty()) {
      String joined = String.join("", held);
      emit(joined, joined.length(), true);
    }
  }

  /**
   * Writes the held lines that end at or before {@code keepFrom} (all of them when {@code all}),
   * masked over the joined text, and keeps the rest.
   */
  private void emit(String joined, int keepFrom, boolean all) {
    List<int[]> ranges = withHead(mask.ranges(joined), head);
    int pos = 0;
    int count = 0;
    while (count < held.size()) {
      int end = pos + held.get(count).length();
      boolean last = count == held.size() - 1;
      if (!all && (last || end > keepFrom)) {
        break;
      }
      out.accept(kinds.get(count), MaskedValues.render(joined, pos, end, ranges));
      pos = end;
      count++;
    }
    int newHead = 0;
    for (int[] r : ranges) {
      if (r[0] < pos && r[1] > pos) {
        newHead = Math.max(newHead, r[1] - pos);
      }
    }
    held.subList(0, count).clear();
    kinds.subList(0, count).clear();
    head = held.isEmpty() ? 0 : count == 0 ? head : newHead;
  }

  private static List<int[]> withHead(List<int[]> ranges, int head) {
    if (head == 0) {
      return ranges;
    }
    List<int[]> all = new ArrayList<>();
    all.add(new int[] {0, head});
    for (int[] r : ranges) {
      if (r[0] <= all.getLast()[1]) {
        all.getLast()[1] = Math.max(all.getLast()[1], r[1]);
      } else {
        all.add(r);
      }
    }
    return all;
  }
}
