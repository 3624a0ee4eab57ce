/**
 * Notifications: a project's webhooks told what happens to its applications, runs and promotions.
 *
 * <p>{@link dev.tagflow.server.notify.Notifier} is the entry point. It holds the webhooks of the
 * settings' projects ({@code projects[].notifications}, read by the config package into {@link
 * dev.tagflow.server.config.NotificationWebhook}s) and sends each {@link
 * dev.tagflow.server.notify.Notification} to those of its project that asked for its event: off the
 * caller's thread, from a bounded queue (the oldest dropped and counted when full), at most a few
 * at once, each retried with exponential back-off on a timeout, a refused connection, a 5xx, 408 or
 * 429. Bodies are {@code generic} JSON or a Slack message ({@link
 * dev.tagflow.server.notify.Payloads}), signed with HMAC-SHA256 over {@code <timestamp>.<body>}
 * ({@link dev.tagflow.server.notify.Signer}, header {@code X-Tagflow-Signature-256}); the key is
 * read from a file or the environment, never from the settings file, and never logged. Every
 * outcome is counted ({@code tagflow_notifications_total{result, event}}), logged by the webhook's
 * name (never its URL), and each attempt is recorded in the store's {@code NotificationLog} (the
 * webhook by name, never its URL nor its key; the last {@code recentPerWebhook} per webhook), read
 * back as {@link dev.tagflow.server.notify.Delivery}s for the UI, across restarts.
 *
 * <p>{@link dev.tagflow.server.notify.EventNotifications} turns the server's events into
 * notifications: the controller's status changes (subscribed to {@code ApplicationStatuses}: sync
 * succeeded or failed, health became Degraded, rollback started), run ends and new promotion
 * requests (from the stores the pipeline and the promotion writer record with, {@code
 * events.ObservedRuns} and {@code events.ObservedPromotions}). Users' manual: {@code
 * docs/notifications.md}.
 */
package dev.tagflow.server.notify;
