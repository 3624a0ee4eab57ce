package dev.tagflow.store;

import java.time.Instant;
import java.util.List;

/** Who did what, when, from where, with which result: appended to, never changed. */
public interface AuditLog {

  void record(AuditEntry entry);

  /** The entries at or after {@code since}, oldest first, at most {@code limit} (the newest). */
  List<AuditEntry> since(Instant since, int limit);
}
