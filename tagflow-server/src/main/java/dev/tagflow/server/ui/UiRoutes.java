package dev.tagflow.server.ui;

import dev.tagflow.app.Application;
import dev.tagflow.reconcile.Reconciler;
import dev.tagflow.server.api.Access;
import dev.tagflow.server.api.AccessGate;
import dev.tagflow.server.api.RouteTable;
import dev.tagflow.server.auth.AccessControl;
import dev.tagflow.server.auth.Principal;
import dev.tagflow.server.pipeline.RunControl;
import dev.tagflow.server.rbac.ApplicationEnvironment;
import dev.tagflow.server.rbac.Permission;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The web UI's routes, all in the route table with what they need: the login page and assets are
 * public, the board and its event stream need a signed-in principal and show only the applications
 * it may {@code applications/get}; the application pages ({@link ApplicationPages}) need that
 * permission on their application, and the rollback form {@code applications/rollback}. Every page
 * is sent with a Content-Security-Policy of {@code default-src 'self'}: nothing loads from any
 * other host.
 */
public final class UiRoutes implements AutoCloseable {

  public static final String LOGIN = "/ui/login";
  public static final String BOARD = "/ui";
  public static final String EVENTS = "/ui/board/events";

  /** Live boards one session may have open at once. */
  public static final int STREAMS_PER_SESSION = 8;

  static final String CSP = PageFrame.CSP;

  private static final Permission SEE = Permission.of("applications/get");

  private final AccessControl access;
  private final BoardSource source;
  private final Clock clock;
  private final Pages pages = new Pages();
  private final BoardEvents events;
  private final PageFrame frame;
  private final RunsPage runs;
  private final ApprovalsPage approvals;
  private final ReleasesPage releases;
  private final AuditPage audit;
  private final ChartsPage charts;
  private final SettingsPage settings;
  private final ApplicationPages applications;

  /**
   * @param delivery what the delivery pages read (runs, releases, approvals, audit, settings)
   * @param controller the controller the application pages read and roll back through; without one
   *     every application page is a 404
   * @param runControl cancels and reruns runs from the runs pages, as the API does
   */
  public UiRoutes(
      AccessControl access,
      BoardSource source,
      DeliverySource delivery,
      Optional<Reconciler> controller,
      RunControl runControl,
      Clock clock,
      Duration heartbeat) {
    this.access = access;
    this.source = source;
    this.clock = clock;
    this.events = new BoardEvents(source, this::cell, STREAMS_PER_SESSION, heartbeat);
    this.frame = new PageFrame(access, pages, clock);
    this.runs = new RunsPage(frame, delivery.store(), runControl, heartbeat);
    this.approvals = new ApprovalsPage(frame, delivery, source);
    this.releases = new ReleasesPage(frame, delivery.store(), source);
    this.audit = new AuditPage(frame, delivery.store().audit());
    this.charts = new ChartsPage(frame, delivery.store(), source);
    this.settings = new SettingsPage(frame, delivery.deliveries());
    this.applications = new ApplicationPages(controller, access.authorizer(), frame);
  }

  /** How the access gate shows a refusal of a UI route: a page, not JSON. */
  public AccessGate.UiRefusal refusal() {
    return frame::refuse;
  }

  /** Adds the UI's routes to {@code table}. */
  public void addTo(RouteTable table) {
    String assets = "static files of the UI, no data";
    table.get(LOGIN, new Access.Public("the login page: a form, no data"), this::login);
    table.get(
        BOARD,
        new Access.SignedIn("the board shows only the applications the viewer may get"),
        this::board);
    table.get(
        EVENTS,
        new Access.SignedIn("sends only the applications the viewer may get"),
        this::events);
    applications.addTo(table, events);
    runs.addTo(table);
    releases.addTo(table);
    approvals.addTo(table);
    charts.addTo(table);
    audit.addTo(table);
    settings.addTo(table);
    table.get("/ui/assets/htmx.min.js", new Access.Public(assets), asset(Assets.htmx(), JS));
    table.get("/ui/assets/htmx-ext-sse.js", new Access.Public(assets), asset(Assets.htmxSse(), JS));
    table.get("/ui/assets/tagflow.js", new Access.Public(assets), asset(Assets.SCRIPT, JS));
    table.get("/ui/assets/tagflow-charts.js", new Access.Public(assets), asset(Assets.CHARTS, JS));
    table.get("/ui/assets/uPlot.iife.min.js", new Access.Public(assets), asset(Assets.uPlot(), JS));
    table.get(
        "/ui/assets/uPlot.min.css",
        new Access.Public(assets),
        asset(Assets.uPlotCss(), "text/css; charset=utf-8"));
    table.get(
        "/ui/assets/tagflow.css",
        new Access.Public(assets),
        asset(Assets.CSS, "text/css; charset=utf-8"));
  }

  private static final String JS = "text/javascript; charset=utf-8";

  private static Handler asset(String resource, String type) {
    return Assets.of(resource, type);
  }

  private void login(Context ctx) {
    html(ctx, pages.render("login.jte", Map.of()));
  }

  private void board(Context ctx) {
    Principal principal = AccessGate.principal(ctx);
    // Read before the board: its stream sends what changed after it.
    long version = events.version();
    Board board = Board.of(source.entries(), source.pending(), visibleTo(principal));
    Map<String, Object> params = frame.params(ctx);
    params.put("board", board);
    params.put("now", clock.instant());
    params.put("version", version);
    params.put(
        "notice",
        source.live() ? "" : "This server runs no controller: there are no applications to show.");
    html(ctx, pages.render("board.jte", params));
  }

  private void events(Context ctx) throws Exception {
    Principal principal = AccessGate.principal(ctx);
    events.open(ctx, PageFrame.owner(principal), visibleTo(principal));
  }

  private String cell(Board.Cell cell) {
    return pages.render("cell.jte", Map.of("cell", cell, "now", clock.instant()));
  }

  private Predicate<Application> visibleTo(Principal principal) {
    return app ->
        access.authorizer().allows(principal.subjects(), SEE, ApplicationEnvironment.objectOf(app));
  }

  private static void html(Context ctx, String page) {
    PageFrame.html(ctx, page);
  }

  /** Closes the live boards' streams; before the HTTP server stops. */
  @Override
  public void close() {
    events.close();
    runs.close();
  }
}
