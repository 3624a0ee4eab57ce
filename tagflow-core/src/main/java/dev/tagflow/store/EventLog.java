package dev.tagflow.store;

import java.util.List;

/**
 * The event log per application; appending drops the oldest beyond {@link
 * StoreOptions#eventLimit()}.
 */
public interface EventLog {

  void append(Event event);

  /** The application's latest events, newest first, at most {@code limit}. */
  List<Event> recent(String application, int limit);
}
