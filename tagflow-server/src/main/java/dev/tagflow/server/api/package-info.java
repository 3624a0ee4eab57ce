/**
 * The HTTP API's routes: every {@code /api/*} route but the webhooks is declared in a {@link
 * dev.tagflow.server.api.RouteTable} with what it needs ({@link dev.tagflow.server.api.Access}: a
 * permission and how its object is taken from the request, any signed-in principal, or public with
 * a reason), and mounted through {@link dev.tagflow.server.api.AccessGate}, which answers 401
 * without a valid principal, 403 without the permission or the CSRF token of a session, and writes
 * the audit log. {@link dev.tagflow.server.api.SessionRoutes} is the web UI's login and logout;
 * {@link dev.tagflow.server.api.AuditRoutes} serves the audit log; {@link
 * dev.tagflow.server.api.ApplicationRoutes} the applications of {@code /api/v1}; {@link
 * dev.tagflow.server.api.RunRoutes} the pipeline's runs (their logs followed live by {@link
 * dev.tagflow.server.api.RunLogStreams}), {@link dev.tagflow.server.api.ReleaseRoutes}, {@link
 * dev.tagflow.server.api.PromotionRoutes} (approvals by the environment policy's rules), {@link
 * dev.tagflow.server.api.RepositoryRoutes}, {@link dev.tagflow.server.api.ClusterRoutes}, {@link
 * dev.tagflow.server.api.SecretRoutes} (names only), {@link dev.tagflow.server.api.TokenRoutes} and
 * {@link dev.tagflow.server.api.UserRoutes} the other resources; every body is read strictly by
 * {@link dev.tagflow.server.api.RequestBody}; {@link dev.tagflow.server.api.OpenApiDocument} is the
 * OpenAPI document generated from the table.
 */
package dev.tagflow.server.api;
