package dev.tagflow.reconcile;

import dev.tagflow.TagflowException;
import dev.tagflow.schedule.WindowVerdict;

/**
 * A person's sync or rollback refused because the application's sync windows keep syncs closed and
 * none allows manual syncs; an API answers it as a conflict, with {@link #closed()}'s opening.
 */
public final class SyncWindowClosedException extends TagflowException {

  private final transient WindowVerdict.Closed closed;

  SyncWindowClosedException(String message, WindowVerdict.Closed closed) {
    super(Reason.INVALID_INPUT, message);
    this.closed = closed;
  }

  /** Which window closes syncs, and when automated syncs may start again. */
  public WindowVerdict.Closed closed() {
    return closed;
  }
}
