package dev.tagflow.server.ui;

import dev.tagflow.TagflowException;
import dev.tagflow.reconcile.Reconciler;
import dev.tagflow.reconcile.SyncWindowClosedException;
import dev.tagflow.server.ApiError;
import dev.tagflow.server.api.AccessGate;
import dev.tagflow.server.api.RouteTable;
import dev.tagflow.server.auth.Principal;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application page's actions, each a plain form POST with the session's CSRF token and the
 * permission of the API's verb: sync with its options ({@code applications/sync}; in production it
 * goes through a confirmation page first), refresh, hard or not ({@code applications/refresh}), and
 * turning automated sync back on after a rollback turned it off ({@code applications/sync}: it lets
 * Git sync again). After each, the page is shown again with a notice; a sync's waves show live.
 */
final class ApplicationActions {

  private static final Logger log = LoggerFactory.getLogger(ApplicationActions.class);

  static final String SYNC = ApplicationPages.PAGE + "/sync";
  static final String REFRESH = ApplicationPages.PAGE + "/refresh";
  static final String AUTOMATION = ApplicationPages.PAGE + "/automation";

  /** The environment whose syncs are confirmed on a page of their own first. */
  static final String CONFIRMED_ENVIRONMENT = "production";

  /** What a redirect's {@code done} parameter may say, and the notice shown for it. */
  private static final Map<String, String> NOTICES =
      Map.of(
          "sync", "Sync asked for: its progress shows below, wave by wave.",
          "refresh", "Refresh asked for: the application is compared with Git and the cluster now.",
          "hard-refresh",
              "Hard refresh asked for: Git is fetched, the manifests rendered again, and compared"
                  + " with the cluster now.",
          "automation", "Automated sync turned on again: it follows Git from its next comparison.");

  private final Optional<Reconciler> controller;
  private final ApplicationPages pages;
  private final PageFrame frame;

  ApplicationActions(Optional<Reconciler> controller, ApplicationPages pages, PageFrame frame) {
    this.controller = controller;
    this.pages = pages;
    this.frame = frame;
  }

  void addTo(RouteTable table) {
    table.get(SYNC, pages.access("applications/get"), onPage(this::confirm));
    table.post(SYNC, pages.access("applications/sync"), onPage(this::sync));
    table.post(REFRESH, pages.access("applications/refresh"), onPage(this::refresh));
    table.post(AUTOMATION, pages.access("applications/sync"), onPage(this::enableAutomation));
  }

  /** An action on the application's page as its viewer sees it. */
  private interface PageAction {
    void handle(Context ctx, Principal principal, ApplicationPage page);
  }

  /** The handler of an action: a 404 page for an unknown application, else the action. */
  private Handler onPage(PageAction action) {
    return ctx -> {
      Principal principal = AccessGate.principal(ctx);
      Optional<ApplicationPage> page = pages.model(ctx.pathParam("name"), principal);
      if (page.isEmpty()) {
        pages.notFound(ctx, principal);
      } else {
        action.handle(ctx, principal, page.get());
      }
    };
  }

  /** The notice for a redirect's {@code done} parameter: only known words, never the query's. */
  static String notice(String done) {
    return done == null ? "" : NOTICES.getOrDefault(done, "");
  }

  /** The confirmation page of a sync: what it does, with which options, and a form that does it. */
  private void confirm(Context ctx, Principal principal, ApplicationPage page) {
    Map<String, Object> params = frame.params(ctx, principal);
    params.put("page", page);
    params.put("actions", pages.actions(page, principal));
    params.put(
        "options",
        ApplicationPage.SyncOptions.of(ctx.queryParam("prune"), ctx.queryParam("confirmPrune")));
    frame.page(ctx, "application-sync.jte", params);
  }

  private void sync(Context ctx, Principal principal, ApplicationPage page) {
    String name = page.name();
    ApplicationPage.SyncOptions options =
        ApplicationPage.SyncOptions.of(ctx.formParam("prune"), ctx.formParam("confirmPrune"));
    if (CONFIRMED_ENVIRONMENT.equals(page.environment())
        && !"yes".equals(ctx.formParam("confirmed"))) {
      // Production is synced from its confirmation page only, whatever form posted here.
      ctx.redirect("/ui/applications/" + name + "/sync?" + options.query(), HttpStatus.SEE_OTHER);
      return;
    }
    ApplicationPage.Verdict verdict = pages.actions(page, principal).sync();
    if (!verdict.allowed()) {
      // RBAC let the request through; a window or a running sync still says no.
      pages.refused(
          ctx, principal, 409, new ApiError("conflict", verdict.reason(), "try again later"));
      return;
    }
    if (act(
        ctx, principal, () -> reconciler().sync(name, options.prune(), options.confirmPrune()))) {
      log.info(
          "application={} sync asked by {} prune={} confirmPrune={} (web UI)",
          name,
          principal.name(),
          options.prune(),
          options.confirmPrune());
      done(ctx, name, "sync");
    }
  }

  private void refresh(Context ctx, Principal principal, ApplicationPage page) {
    String name = page.name();
    boolean hard = "true".equals(ctx.formParam("hard"));
    if (act(
        ctx,
        principal,
        () -> {
          if (hard) {
            reconciler().hardRefresh(name);
          } else {
            reconciler().refresh(name);
          }
        })) {
      log.info(
          "application={} {} asked by {} (web UI)",
          name,
          hard ? "hard refresh" : "refresh",
          principal.name());
      done(ctx, name, hard ? "hard-refresh" : "refresh");
    }
  }

  private void enableAutomation(Context ctx, Principal principal, ApplicationPage page) {
    String name = page.name();
    if (page.status().automation().disabled().isEmpty()) {
      pages.refused(
          ctx,
          principal,
          409,
          new ApiError(
              "conflict",
              "automated sync of '" + name + "' is not turned off",
              "nothing to turn on; look at the application again"));
      return;
    }
    if (act(ctx, principal, () -> reconciler().enableAutomation(name))) {
      log.info("application={} automation enabled by {} (web UI)", name, principal.name());
      done(ctx, name, "automation");
    }
  }

  private Reconciler reconciler() {
    return controller.orElseThrow();
  }

  /** Hands a verb to the controller; what it refuses is a 409 page. */
  private boolean act(Context ctx, Principal principal, Runnable verb) {
    try {
      verb.run();
      return true;
    } catch (SyncWindowClosedException closed) {
      pages.refused(
          ctx,
          principal,
          409,
          new ApiError(
              "sync_window_closed",
              closed.getMessage(),
              "sync when the window opens, or have the project's window allow manual syncs"));
    } catch (TagflowException e) {
      pages.refused(
          ctx, principal, 409, new ApiError("conflict", e.getMessage(), "look at it again"));
    }
    return false;
  }

  private static void done(Context ctx, String name, String what) {
    ctx.redirect(
        "/ui/applications/"
            + name
            + "?done="
            + URLEncoder.encode(what, StandardCharsets.UTF_8)
            + "#live",
        HttpStatus.SEE_OTHER);
  }
}
