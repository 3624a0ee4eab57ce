/**
 * The web UI: jte templates compiled at build time, htmx and its SSE extension served from webjars,
 * a stylesheet and a script of our own. {@link dev.tagflow.server.ui.UiRoutes} declares every page,
 * stream and asset in the server's route table (so the access gate and the RBAC matrix test cover
 * them) and renders the gate's refusals as pages; {@link dev.tagflow.server.ui.Board} is the
 * board's model (environments × applications by project), read through {@link
 * dev.tagflow.server.ui.BoardSource} from the controller; {@link
 * dev.tagflow.server.ui.ApplicationPage} the application page's, with the objects its workloads
 * own, its side-by-side diff ({@link dev.tagflow.server.ui.ApplicationDiff}, {@link
 * dev.tagflow.server.ui.SideBySide}), its actions ({@code ApplicationActions}: sync, refresh,
 * automated sync on again) and rollback; both are kept live by the server-sent events of {@code
 * BoardEvents}. Beside them, the delivery pages read {@link dev.tagflow.server.ui.DeliverySource}
 * (the store, the pipeline's environment-repository writer, the notifier): runs with their logs
 * followed live ({@code RunsPage}, {@code RunLogEvents}), releases, the approvals inbox (decided
 * through the writer, with the policy's rules), the audit log, charts (uPlot) and the admin's
 * settings; {@code PageFrame} is what every page shares (layout parameters, the refusal page,
 * headers).
 */
package dev.tagflow.server.ui;
