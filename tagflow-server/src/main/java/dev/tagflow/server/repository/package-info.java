/**
 * Repositories added and removed over the API ({@code POST} and {@code DELETE
 * /api/v1/repositories}): {@link dev.tagflow.server.repository.AddedRepositories} keeps them in the
 * store (migration V8), so they survive a restart, and gives them to the server's poller, webhooks
 * and Git transports as {@link dev.tagflow.server.config.ServerSettings.Repository} entries beside
 * those of the settings file or {@code tagflow repo add}. A repository logs in with a secret of the
 * secret store named by {@link dev.tagflow.server.repository.SecretReference} ({@code
 * kind/scope/NAME}); its value is opened only when a transport needs it, and is never in the
 * store's repository row, an answer, a log line or the audit log.
 */
package dev.tagflow.server.repository;
