package dev.tagflow.server.ui;

import dev.tagflow.TagflowException;
import dev.tagflow.app.Application;
import dev.tagflow.reconcile.ApplicationStatus;
import dev.tagflow.reconcile.Reconciler;
import dev.tagflow.reconcile.SyncWindowClosedException;
import dev.tagflow.schedule.SyncWindows;
import dev.tagflow.schedule.WindowVerdict;
import dev.tagflow.server.ApiError;
import dev.tagflow.server.api.Access;
import dev.tagflow.server.api.AccessGate;
import dev.tagflow.server.api.ApplicationRoutes;
import dev.tagflow.server.api.ObjectOf;
import dev.tagflow.server.api.RouteTable;
import dev.tagflow.server.auth.Principal;
import dev.tagflow.server.rbac.Authorizer;
import dev.tagflow.server.rbac.Permission;
import dev.tagflow.store.HistoryEntry;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application page and what hangs off it: the page itself (kept live by its event stream), the
 * side-by-side diff, its actions ({@link ApplicationActions}: sync, refresh, automation on again),
 * and the rollback with its confirmation page. The rollback is a plain form POST carrying the
 * session's CSRF token, so it works without script; refused with a page that says why when the
 * viewer lacks {@code applications/rollback} (production needs release-manager) or a sync window
 * keeps syncs closed.
 */
final class ApplicationPages {

  private static final Logger log = LoggerFactory.getLogger(ApplicationPages.class);

  static final String PAGE = "/ui/applications/{name}";
  static final String DIFF = PAGE + "/diff";
  static final String ROLLBACK = PAGE + "/rollback";
  static final String EVENTS = PAGE + "/events";

  /** The events shown on the page. */
  static final int EVENTS_SHOWN = 50;

  private static final Permission ROLLBACK_PERMISSION = Permission.of("applications/rollback");
  private static final Permission SYNC_PERMISSION = Permission.of("applications/sync");
  private static final Permission REFRESH_PERMISSION = Permission.of("applications/refresh");

  private final Optional<Reconciler> controller;
  private final Authorizer authorizer;
  private final PageFrame frame;

  ApplicationPages(Optional<Reconciler> controller, Authorizer authorizer, PageFrame frame) {
    this.controller = controller;
    this.authorizer = authorizer;
    this.frame = frame;
  }

  void addTo(RouteTable table, BoardEvents streams) {
    table.get(PAGE, access("applications/get"), this::page);
    table.get(DIFF, access("applications/get"), this::diff);
    table.get(ROLLBACK, access("applications/get"), this::confirm);
    table.post(ROLLBACK, access("applications/rollback"), this::rollback);
    new ApplicationActions(controller, this, frame).addTo(table);
    table.get(
        EVENTS,
        access("applications/get"),
        ctx -> {
          Principal principal = AccessGate.principal(ctx);
          String name = ctx.pathParam("name");
          if (application(name).isEmpty()) {
            ctx.status(404).result("no application '" + name + "'");
            return;
          }
          streams.openPage(
              ctx,
              PageFrame.owner(principal),
              name,
              () -> model(name, principal).map(this::live).orElse(""));
        });
  }

  Access access(String permission) {
    return Access.needs(
        permission,
        new ObjectOf(
            "project/environment/{name} of the application (-/-/{name} when there is none)",
            ctx -> ApplicationRoutes.objectFor(controller, ctx.pathParam("name"))));
  }

  private Optional<Application> application(String name) {
    if (!ApplicationRoutes.NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    return controller.flatMap(c -> c.registry().get(name));
  }

  /** The page's model for that viewer, or empty when the application is unknown. */
  Optional<ApplicationPage> model(String name, Principal principal) {
    return application(name)
        .map(
            app -> {
              Reconciler reconciler = controller.orElseThrow();
              ApplicationStatus status =
                  reconciler
                      .statuses()
                      .get(name)
                      .orElseGet(
                          () ->
                              ApplicationStatus.unknown(
                                  name, ApplicationStatus.Automation.of(false, false)));
              return new ApplicationPage(
                  app,
                  status,
                  reconciler.statuses().history(name),
                  reconciler.statuses().events(name, EVENTS_SHOWN),
                  rollbackVerdict(app, status, principal),
                  frame.clock().instant(),
                  owned(name),
                  syncWindow(reconciler, name));
            });
  }

  /** What the application's workloads own, from the live cache; why not when it cannot be read. */
  private ApplicationPage.Owned owned(String name) {
    try {
      return new ApplicationPage.Owned(controller.orElseThrow().owned(name), "");
    } catch (TagflowException e) {
      // Unknown meanwhile, or its cluster (a ClusterException) not answering: the rest still shows.
      log.warn("application={} owned objects not read: {}", name, e.getMessage());
      return new ApplicationPage.Owned(Map.of(), e.getMessage());
    }
  }

  /**
   * {@code open until …}, or {@code closed: <why>; the next window opens at …} with whether a
   * person may still sync; empty without windows.
   */
  private static String syncWindow(Reconciler reconciler, String name) {
    SyncWindows windows = reconciler.syncWindows(name);
    Instant now = reconciler.now();
    if (!(windows.verdict(now, false) instanceof WindowVerdict.Closed closed)) {
      return windows.windows().isEmpty()
          ? ""
          : "open" + windows.nextClosed(now).map(t -> " until " + t).orElse("");
    }
    return "closed: "
        + closed.message()
        + (windows.verdict(now, true) instanceof WindowVerdict.Open
            ? " (a person may still sync: manualSync)"
            : "");
  }

  /** Whether the viewer may roll back now: the permission, then the sync window, then a sync. */
  private ApplicationPage.Verdict rollbackVerdict(
      Application app, ApplicationStatus status, Principal principal) {
    return operationVerdict(app, status, principal, ROLLBACK_PERMISSION);
  }

  /** What the viewer may do on the page now: sync, refresh, turn automated sync on again. */
  ApplicationPage.Actions actions(ApplicationPage page, Principal principal) {
    Application app = page.application();
    ApplicationPage.Verdict automation =
        page.status().automation().disabled().isEmpty()
            ? ApplicationPage.Verdict.refused("automated sync is not turned off")
            : permitted(app, principal, SYNC_PERMISSION);
    return new ApplicationPage.Actions(
        operationVerdict(app, page.status(), principal, SYNC_PERMISSION),
        permitted(app, principal, REFRESH_PERMISSION),
        automation);
  }

  private ApplicationPage.Verdict permitted(
      Application app, Principal principal, Permission permission) {
    String object = ApplicationRoutes.objectFor(controller, app.name());
    if (!authorizer.allows(principal.subjects(), permission, object)) {
      return ApplicationPage.Verdict.refused(
          principal.name()
              + " may not "
              + permission
              + " on "
              + object
              + ": ask an admin for a role that grants it"
              + (permission.equals(REFRESH_PERMISSION) ? "" : " (in production: release-manager)"));
    }
    return ApplicationPage.Verdict.ALLOWED;
  }

  /**
   * Whether the viewer may start a sync or rollback now: the permission, then the sync window, then
   * a running sync.
   */
  private ApplicationPage.Verdict operationVerdict(
      Application app, ApplicationStatus status, Principal principal, Permission permission) {
    ApplicationPage.Verdict permit = permitted(app, principal, permission);
    if (!permit.allowed()) {
      return permit;
    }
    try {
      if (controller.orElseThrow().syncWindow(app.name(), true)
          instanceof WindowVerdict.Closed closed) {
        return ApplicationPage.Verdict.refused(
            "a sync window keeps syncs closed: " + closed.message());
      }
    } catch (TagflowException gone) {
      return ApplicationPage.Verdict.refused(gone.getMessage());
    }
    Optional<ApplicationStatus.Operation> running =
        status.operation().filter(o -> !o.phase().isFinal());
    if (running.isPresent()) {
      return ApplicationPage.Verdict.refused(
          "a sync is running (" + running.get().step() + "); wait for it to end");
    }
    return ApplicationPage.Verdict.ALLOWED;
  }

  private void page(Context ctx) {
    Principal principal = AccessGate.principal(ctx);
    Optional<ApplicationPage> page = model(ctx.pathParam("name"), principal);
    if (page.isEmpty()) {
      notFound(ctx, principal);
      return;
    }
    Map<String, Object> params = frame.params(ctx, principal);
    params.put("page", page.get());
    params.put("actions", actions(page.get(), principal));
    params.put("notice", notice(ctx));
    frame.page(ctx, "application.jte", params);
  }

  /** The page's live part: what its event stream replaces. */
  String live(ApplicationPage page) {
    return frame.render("application-live.jte", Map.of("page", page));
  }

  private void diff(Context ctx) {
    Principal principal = AccessGate.principal(ctx);
    String name = ctx.pathParam("name");
    if (application(name).isEmpty()) {
      notFound(ctx, principal);
      return;
    }
    ApplicationDiff diff;
    try {
      diff = ApplicationDiff.of(name, controller.orElseThrow().diff(name));
    } catch (TagflowException refused) {
      diff = new ApplicationDiff(name, "", List.of(), Optional.of(refused.getMessage()));
    }
    Map<String, Object> params = frame.params(ctx, principal);
    params.put("diff", diff);
    frame.page(ctx, "application-diff.jte", params);
  }

  /** The confirmation page of a rollback: what it applies, and a form that does it. */
  private void confirm(Context ctx) {
    Principal principal = AccessGate.principal(ctx);
    Optional<ApplicationPage> page = model(ctx.pathParam("name"), principal);
    if (page.isEmpty()) {
      notFound(ctx, principal);
      return;
    }
    Optional<HistoryEntry> target = target(ctx.queryParam("id"), page.get());
    if (target.isEmpty()) {
      refused(
          ctx,
          principal,
          400,
          new ApiError(
              "not_found",
              "'"
                  + page.get().name()
                  + "' has no sync #"
                  + ctx.queryParam("id")
                  + " to roll back to",
              "pick a sync in the application's history"));
      return;
    }
    Map<String, Object> params = frame.params(ctx, principal);
    params.put("page", page.get());
    params.put("target", target.get());
    frame.page(ctx, "application-rollback.jte", params);
  }

  private void rollback(Context ctx) {
    Principal principal = AccessGate.principal(ctx);
    Optional<ApplicationPage> page = model(ctx.pathParam("name"), principal);
    if (page.isEmpty()) {
      notFound(ctx, principal);
      return;
    }
    String name = page.get().name();
    if (!page.get().rollback().allowed()) {
      // RBAC let the request through; a window or a running sync still says no, whatever the id.
      refused(
          ctx,
          principal,
          409,
          new ApiError("conflict", page.get().rollback().reason(), "try again later"));
      return;
    }
    Optional<HistoryEntry> target = target(ctx.formParam("id"), page.get());
    if (target.isEmpty()) {
      refused(
          ctx,
          principal,
          400,
          new ApiError(
              "not_found",
              "'" + name + "' has no sync #" + ctx.formParam("id") + " to roll back to",
              "pick a sync in the application's history"));
      return;
    }
    long id = target.get().id();
    try {
      controller.orElseThrow().rollback(name, id);
    } catch (SyncWindowClosedException closed) {
      refused(
          ctx,
          principal,
          409,
          new ApiError(
              "sync_window_closed",
              closed.getMessage(),
              "roll back when the window opens, or have the project's window allow manual syncs"));
      return;
    } catch (TagflowException e) {
      refused(ctx, principal, 409, new ApiError("conflict", e.getMessage(), "look at it again"));
      return;
    }
    log.info(
        "application={} rollback to sync #{} asked by {} (web UI)", name, id, principal.name());
    ctx.redirect(
        "/ui/applications/" + name + "?rolledBack=" + id + "#history", HttpStatus.SEE_OTHER);
  }

  /** What the page says after a redirect: only known words, never text from the query. */
  private static String notice(Context ctx) {
    String id = ctx.queryParam("rolledBack");
    return id != null && id.matches("\\d{1,18}")
        ? "Rollback to sync #"
            + id
            + " asked for: it runs now, and automated sync is off until"
            + " turned on again."
        : ApplicationActions.notice(ctx.queryParam("done"));
  }

  private static Optional<HistoryEntry> target(String id, ApplicationPage page) {
    if (id == null || !id.matches("\\d{1,18}")) {
      return Optional.empty();
    }
    long wanted = Long.parseLong(id);
    return page.history().stream().filter(e -> e.id() == wanted).findFirst();
  }

  void notFound(Context ctx, Principal principal) {
    refused(
        ctx,
        principal,
        404,
        new ApiError(
            "not_found",
            "there is no application '" + ctx.pathParam("name") + "'",
            "pick one on the board"));
  }

  void refused(Context ctx, Principal principal, int status, ApiError why) {
    frame.refuse(ctx, status, principal, why);
  }
}
