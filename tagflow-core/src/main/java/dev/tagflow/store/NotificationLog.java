package dev.tagflow.store;

import java.util.List;

/** The attempts to deliver notifications, the last few per webhook, kept across restarts. */
public interface NotificationLog {

  /**
   * Records an attempt and keeps only the webhook's newest {@code keepPerWebhook} attempts.
   *
   * @throws IllegalArgumentException when {@code keepPerWebhook} is less than 1
   */
  void record(NotificationAttempt attempt, int keepPerWebhook);

  /** The webhook's latest attempts, newest first, at most {@code limit}. */
  List<NotificationAttempt> recent(String project, String webhook, int limit);

  /** Every webhook's latest attempts, newest first, at most {@code limit}. */
  List<NotificationAttempt> recent(int limit);
}
