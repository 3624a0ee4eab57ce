package dev.tagflow.source;

import java.util.function.Consumer;

/**
 * Something that tells when refs of Git repositories change: a poller, a webhook receiver, or
 * Tagflow's own Git server. Every trigger of a reconcile or a release starts as one of these.
 */
public interface EventSource extends AutoCloseable {

  /** A short name for logs and metrics, e.g. {@code poll} or {@code github-webhook}. */
  String name();

  /** Starts delivering events to the listener; events may arrive on any thread. */
  void start(Consumer<RefChanged> listener);

  /** Stops delivering events and releases threads and sockets. */
  @Override
  void close();
}
