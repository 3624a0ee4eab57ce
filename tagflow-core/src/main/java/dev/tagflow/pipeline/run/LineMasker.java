package dev.tagflow.pipeline.run;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Masks one stream of lines, including a value written across two lines ({@code fold}, a wrapped
 * key): a line whose end begins a registered value is held back until the next line shows whether
 * the value continues there, so both halves are masked. Other lines pass at once, so the log stays
 * live. Not thread-safe: one per stream.
 */
final class LineMasker {

  private final SecretMask mask;
  private final BiConsumer<LogLine.Kind, String> out;
  private String held; // a raw line whose end may begin a value
  private LogLine.Kind heldKind;
  private int heldMaskedHead; // chars at the start of held already known to be a value's end

  LineMasker(SecretMask mask, BiConsumer<LogLine.Kind, String> out) {
    this.mask = mask;
    this.out = out;
  }

  void line(LogLine.Kind kind, String raw) {
    int head = 0;
    if (held != null) {
      String joined = held + raw;
      List<int[]> ranges = withHead(mask.ranges(joined), heldMaskedHead);
      out.accept(heldKind, SecretMask.render(joined, 0, held.length(), ranges));
      for (int[] r : ranges) {
        if (r[0] < held.length() && r[1] > held.length()) {
          head = Math.max(head, r[1] - held.length());
        }
      }
      held = null;
    }
    if (mask.pendingPrefix(raw) > 0) {
      held = raw;
      heldKind = kind;
      heldMaskedHead = head;
      return;
    }
    out.accept(kind, SecretMask.render(raw, 0, raw.length(), withHead(mask.ranges(raw), head)));
  }

  /** Writes a held line: the stream ended. */
  void flush() {
    if (held != null) {
      String last = held;
      held = null;
      out.accept(
          heldKind,
          SecretMask.render(last, 0, last.length(), withHead(mask.ranges(last), heldMaskedHead)));
    }
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
