/**
 * The web UI: jte templates compiled at build time, htmx and its SSE extension served from webjars,
 * a stylesheet and a script of our own. {@link dev.tagflow.server.ui.UiRoutes} declares every page,
 * stream and asset in the server's route table (so the access gate and the RBAC matrix test cover
 * them); {@link dev.tagflow.server.ui.Board} is the board's model (environments × applications by
 * project), read through {@link dev.tagflow.server.ui.BoardSource} from the controller, and kept
 * live by the board's server-sent events. Beside the board, the delivery pages read {@link
 * dev.tagflow.server.ui.DeliverySource} (the store, the pipeline's environment-repository writer,
 * the notifier): runs with their logs followed live ({@code RunsPage}, {@code RunLogEvents}),
 * releases, the approvals inbox (decided through the writer, with the policy's rules), the audit
 * log, charts (uPlot) and the admin's settings; {@code PageFrame} is what every page shares.
 */
package dev.tagflow.server.ui;
