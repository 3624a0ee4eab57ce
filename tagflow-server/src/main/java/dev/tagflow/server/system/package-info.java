/**
 * What operators look at: {@code GET /healthz} ({@link dev.tagflow.server.system.HealthHandler},
 * with the settings file's state when one is used), {@code GET /readyz} ({@link
 * dev.tagflow.server.system.ReadyHandler}: 200 once every {@link dev.tagflow.server.system.Probe} —
 * the store, each cluster — answers, else 503 naming which does not) and {@code GET /metrics}
 * ({@link dev.tagflow.server.system.MetricsHandler}, Prometheus text, URLs redacted as a last
 * guard), and the log configuration's converters ({@link
 * dev.tagflow.server.system.RedactingMessageConverter}, {@link
 * dev.tagflow.server.system.RedactingThrowableConverter}) that remove credentials from every log
 * line and stack trace.
 */
package dev.tagflow.server.system;
