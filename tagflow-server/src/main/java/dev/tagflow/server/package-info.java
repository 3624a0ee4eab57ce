/**
 * The daemon's shell: {@link dev.tagflow.server.TagflowServer} (one Jetty through Javalin, virtual
 * threads, loopback by default) serving the webhooks, the Git server, {@code /healthz}, {@code
 * /readyz}, {@code /metrics} and {@code /api/repos}; {@link dev.tagflow.server.TagflowDaemon}, the
 * one place where those parts and their event sources are built and handed to each other; and
 * {@link dev.tagflow.server.ControllerService}, which opens the store, the clusters and the
 * renderer, runs the reconciler, and follows the settings' clusters, projects ({@link
 * dev.tagflow.server.SettingsProjects}) and folders of Application files in Git; {@link
 * dev.tagflow.server.Observability} wires what the server tells people (the applications' meters,
 * notifications) to the controller, the pipeline's runs and promotion requests. Each concern has a
 * package of its own ({@code git}, {@code webhook}, {@code events}, {@code system}, {@code config},
 * {@code metrics}, {@code notify}, {@code pipeline}: the release pipeline's runs; {@code api}: the
 * route table every {@code /api} route but the webhooks goes through, with its access gate and the
 * login; {@code auth}: tokens, users, sessions; {@code rbac}: the policy; {@code runlog}: a run's
 * log followed over server-sent events, for the API and the UI alike); API errors are {@link
 * dev.tagflow.server.ApiError}: {@code {error, message, fix}}, never a stack trace, also for the
 * refusals Javalin ({@link dev.tagflow.server.HttpRefusals}) and Jetty ({@link
 * dev.tagflow.server.ApiErrorPages}) make before any route runs. HTTPS from PEM files is {@link
 * dev.tagflow.server.TlsFiles}.
 */
package dev.tagflow.server;
