package dev.tagflow.server.api;

import dev.tagflow.TagflowException;
import dev.tagflow.app.Application;
import dev.tagflow.cluster.ClusterException;
import dev.tagflow.reconcile.ApplicationStatus;
import dev.tagflow.reconcile.Reconciler;
import dev.tagflow.reconcile.SyncFailure;
import dev.tagflow.reconcile.SyncReport;
import dev.tagflow.reconcile.SyncWindowClosedException;
import dev.tagflow.server.rbac.ApplicationEnvironment;
import dev.tagflow.server.rbac.Authorizer;
import dev.tagflow.server.rbac.Permission;
import dev.tagflow.store.HistoryEntry;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The applications under {@code /api/v1/applications}: list, get, tree, diff, history, events, and
 * the refresh, sync and rollback verbs, read from and handed to the controller's {@link
 * Reconciler}. A server without a controller answers an empty list and 404 for every name.
 */
public final class ApplicationRoutes {

  private static final Logger log = LoggerFactory.getLogger(ApplicationRoutes.class);

  public static final String PATH = "/api/v1/applications";

  /** The most items one page of the list holds. */
  public static final int MAX_LIMIT = 500;

  /** The most events one answer holds. */
  public static final int MAX_EVENTS = 500;

  /** An application name: a Kubernetes object name (DNS subdomain), at most 253 characters. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

  private static final Permission GET = Permission.of("applications/get");

  private final Optional<Reconciler> controller;
  private final Authorizer authorizer;

  public ApplicationRoutes(Optional<Reconciler> controller, Authorizer authorizer) {
    this.controller = controller;
    this.authorizer = authorizer;
  }

  /** Declares the routes in {@code table} and their shapes in {@code docs}. */
  public void addTo(RouteTable table, OpenApiDocument docs) {
    String one = PATH + "/{name}";
    table.get(
        PATH,
        new Access.SignedIn(
            "each application is listed only if the caller has applications/get on its"
                + " project/environment/application"),
        Handlers.answered(this::list));
    docs.describe(
        "GET " + PATH,
        OpenApiDocument.Operation.of("List applications, by name", ApiSchemas.APPLICATION_LIST)
            .query("project", "only this project")
            .query("environment", "only this environment")
            .query("cluster", "only this destination cluster")
            .query("sync", "only this sync status: Synced, OutOfSync, Unknown")
            .query("health", "only this health: Healthy, Progressing, Degraded, …")
            .query("limit", "at most this many, 1 to " + MAX_LIMIT + " (100)")
            .query("after", "the names after this one: the previous page's 'next'"));
    table.get(one, access("applications/get"), Handlers.answered(this::get));
    docs.describe(
        "GET " + one,
        OpenApiDocument.Operation.of(
            "An application's spec summary and status", ApiSchemas.APPLICATION));
    table.get(one + "/tree", access("applications/get"), Handlers.answered(this::tree));
    docs.describe(
        "GET " + one + "/tree",
        OpenApiDocument.Operation.of(
            "Its objects with sync, health, message and drifted fields", ApiSchemas.TREE));
    table.get(one + "/diff", access("applications/get"), Handlers.answered(this::diff));
    docs.describe(
        "GET " + one + "/diff",
        OpenApiDocument.Operation.of(
            "Git's objects against the cluster's, compared now: per object in sync, changed (a"
                + " unified diff and each changed field with its managers), missing, extra or"
                + " unknown; Secret values masked",
            ApiSchemas.DIFF));
    table.get(one + "/history", access("applications/get"), Handlers.answered(this::history));
    docs.describe(
        "GET " + one + "/history",
        OpenApiDocument.Operation.of("Its recorded syncs, newest first", ApiSchemas.HISTORY));
    table.get(one + "/events", access("applications/get"), Handlers.answered(this::events));
    docs.describe(
        "GET " + one + "/events",
        OpenApiDocument.Operation.of("Its latest events, newest first", ApiSchemas.EVENTS)
            .query("limit", "at most this many, 1 to " + MAX_EVENTS + " (100)"));
    table.post(one + "/refresh", access("applications/refresh"), Handlers.answered(this::refresh));
    docs.describe(
        "POST " + one + "/refresh",
        OpenApiDocument.Operation.of(
                "Compare with Git and the cluster now; hard: fetch Git and render again first",
                ApiSchemas.ACCEPTED)
            .status(202)
            .body(ApiSchemas.REFRESH_REQUEST));
    table.post(one + "/sync", access("applications/sync"), Handlers.answered(this::sync));
    docs.describe(
        "POST " + one + "/sync",
        OpenApiDocument.Operation.of("Sync now, whatever its policy", ApiSchemas.ACCEPTED)
            .status(202)
            .body(ApiSchemas.SYNC_REQUEST));
    table.post(
        one + "/rollback", access("applications/rollback"), Handlers.answered(this::rollback));
    docs.describe(
        "POST " + one + "/rollback",
        OpenApiDocument.Operation.of(
                "Apply again the manifests of a sync of its history; automated sync turns off",
                ApiSchemas.ACCEPTED)
            .status(202)
            .body(ApiSchemas.ROLLBACK_REQUEST));
  }

  private Access access(String permission) {
    return Access.needs(
        permission,
        new ObjectOf(
            "project/environment/{name} of the application (-/-/{name} when there is none)",
            ctx -> objectFor(ctx.pathParam("name"))));
  }

  /**
   * The permission object of a name; an unknown or invalid name gets {@code -/-/name} so the answer
   * to who may not see it (403) does not tell whether it exists.
   */
  String objectFor(String name) {
    return objectFor(controller, name);
  }

  /** The permission object of an application by name, as every route of it (API or UI) decides. */
  public static String objectFor(Optional<Reconciler> controller, String name) {
    if (!NAME.matcher(name).matches()) {
      return "-/-/-";
    }
    return controller
        .flatMap(c -> c.registry().get(name))
        .map(ApplicationEnvironment::objectOf)
        .orElse("-/-/" + name);
  }

  private Optional<Application> application(String name) {
    return controller.flatMap(c -> c.registry().get(name));
  }

  private ApplicationView view(Context ctx) {
    String name = ctx.pathParam("name");
    if (!NAME.matcher(name).matches()) {
      throw BadRequest.field(
          "name",
          "'"
              + (name.length() > 64 ? name.substring(0, 64) + "…" : name)
              + "' is not an application name",
          "names are lower-case letters, digits, '-' and '.', at most 253 characters");
    }
    Application application =
        application(name)
            .orElseThrow(
                () ->
                    new BadRequest(
                        404,
                        "not_found",
                        "no application '" + name + "'",
                        Optional.of("name"),
                        "see GET " + PATH + " for the applications"));
    return new ApplicationView(application, status(application));
  }

  private ApplicationStatus status(Application application) {
    return controller
        .flatMap(c -> c.statuses().get(application.name()))
        .orElseGet(
            () ->
                ApplicationStatus.unknown(
                    application.name(),
                    new ApplicationStatus.Automation(false, false, Optional.empty(), List.of())));
  }

  private void list(Context ctx) {
    int limit = Handlers.limit(ctx, "limit", 100, MAX_LIMIT);
    String after = ctx.queryParam("after");
    Predicate<ApplicationView> filter =
        matches(ctx, "project", ApplicationView::project)
            .and(matches(ctx, "environment", ApplicationView::environment))
            .and(matches(ctx, "cluster", v -> v.application().destination().cluster()))
            .and(matches(ctx, "sync", v -> v.status().sync().status().displayName()))
            .and(matches(ctx, "health", v -> v.status().health().health().displayName()));
    Set<String> subjects = AccessGate.principal(ctx).subjects();
    List<ApplicationView> views =
        controller.map(c -> c.registry().list()).orElse(List.of()).stream()
            .map(r -> r.application())
            .filter(a -> after == null || a.name().compareTo(after) > 0)
            .sorted(Comparator.comparing(Application::name))
            .filter(a -> authorizer.allows(subjects, GET, ApplicationEnvironment.objectOf(a)))
            .map(a -> new ApplicationView(a, status(a)))
            .filter(filter)
            .limit(limit + 1L)
            .toList();
    List<Map<String, Object>> items = new ArrayList<>();
    views.stream().limit(limit).forEach(v -> items.add(v.summary()));
    Map<String, Object> page = new LinkedHashMap<>();
    page.put("items", items);
    // A next page exists when one more matched than the page holds.
    page.put("next", views.size() > limit ? views.get(limit - 1).name() : null);
    ctx.json(page);
  }

  private static Predicate<ApplicationView> matches(
      Context ctx, String param, java.util.function.Function<ApplicationView, String> of) {
    String wanted = ctx.queryParam(param);
    return wanted == null ? v -> true : v -> wanted.equalsIgnoreCase(of.apply(v));
  }

  private void get(Context ctx) {
    ApplicationView view = view(ctx);
    Map<String, Object> detail = view.detail();
    controller.ifPresent(
        c ->
            detail.put(
                "syncWindows", ApplicationView.syncWindows(c.syncWindows(view.name()), c.now())));
    ctx.json(detail);
  }

  private void tree(Context ctx) {
    ctx.json(view(ctx).tree());
  }

  private void diff(Context ctx) {
    ApplicationView view = view(ctx);
    SyncReport report;
    try {
      report = controller.orElseThrow().diff(view.name());
    } catch (ClusterException unavailable) {
      throw new BadRequest(
          503,
          "cluster_unavailable",
          unavailable.getMessage(),
          Optional.empty(),
          "try again once the destination cluster answers");
    } catch (TagflowException refused) {
      throw new BadRequest(
          409, "conflict", refused.getMessage(), Optional.empty(), "look at the application again");
    }
    if (report.failure().isPresent()) {
      SyncFailure failure = report.failure().get();
      throw new BadRequest(
          409,
          "diff_failed",
          "the " + failure.step() + " step failed: " + failure.message(),
          Optional.empty(),
          "see the application's conditions and events; fix its source or destination");
    }
    ctx.json(ApplicationView.diff(view.name(), report));
  }

  private void history(Context ctx) {
    ApplicationView view = view(ctx);
    List<HistoryEntry> entries =
        controller.map(c -> c.statuses().history(view.name())).orElse(List.of());
    ctx.json(Map.of("items", entries.stream().map(ApplicationView::history).toList()));
  }

  private void events(Context ctx) {
    ApplicationView view = view(ctx);
    int limit = Handlers.limit(ctx, "limit", 100, MAX_EVENTS);
    ctx.json(
        Map.of(
            "items",
            controller.orElseThrow().statuses().events(view.name(), limit).stream()
                .map(ApplicationView::event)
                .toList()));
  }

  private void refresh(Context ctx) {
    // The body first: a malformed request is refused whether or not the application exists.
    RequestBody body = RequestBody.read(ctx.bodyAsBytes(), ctx.contentType(), Set.of("hard"));
    boolean hard = body.bool("hard").orElse(false);
    ApplicationView view = view(ctx);
    Reconciler reconciler = controller.orElseThrow();
    act(
        () -> {
          if (hard) {
            reconciler.hardRefresh(view.name());
          } else {
            reconciler.refresh(view.name());
          }
        });
    log.info(
        "application={} {} asked by {}",
        view.name(),
        hard ? "hard refresh" : "refresh",
        AccessGate.principal(ctx).name());
    accepted(ctx, view, "refresh", Map.of("hard", hard));
  }

  private void sync(Context ctx) {
    RequestBody body =
        RequestBody.read(
            ctx.bodyAsBytes(),
            ctx.contentType(),
            Set.of("prune", "confirmPrune", "dryRun", "revision"));
    // Declared so the refusal says why rather than "unknown field": the engine has neither yet.
    for (String unsupported : List.of("dryRun", "revision")) {
      if (body.has(unsupported)) {
        throw BadRequest.field(
            unsupported,
            unsupported + " is not supported by Tagflow's sync yet",
            "leave it out; 'tagflow diff' shows what a sync would change");
      }
    }
    boolean prune = body.bool("prune").orElse(false);
    boolean confirmPrune = body.bool("confirmPrune").orElse(false);
    ApplicationView view = view(ctx);
    running(view);
    act(() -> controller.orElseThrow().sync(view.name(), prune, confirmPrune));
    log.info(
        "application={} sync asked by {} prune={}",
        view.name(),
        AccessGate.principal(ctx).name(),
        prune);
    accepted(ctx, view, "sync", Map.of("prune", prune, "confirmPrune", confirmPrune));
  }

  private void rollback(Context ctx) {
    RequestBody body = RequestBody.read(ctx.bodyAsBytes(), ctx.contentType(), Set.of("id"));
    long id =
        body.positive("id")
            .orElseThrow(
                () ->
                    BadRequest.field(
                        "id",
                        "id is missing",
                        "give the history id to roll back to, e.g. {\"id\": 3}"));
    ApplicationView view = view(ctx);
    Reconciler reconciler = controller.orElseThrow();
    boolean known = reconciler.statuses().history(view.name()).stream().anyMatch(e -> e.id() == id);
    if (!known) {
      throw new BadRequest(
          404,
          "not_found",
          "'" + view.name() + "' has no sync #" + id + " in its history",
          Optional.of("id"),
          "see GET " + PATH + "/" + view.name() + "/history");
    }
    running(view);
    act(() -> reconciler.rollback(view.name(), id));
    log.info(
        "application={} rollback to sync #{} asked by {}",
        view.name(),
        id,
        AccessGate.principal(ctx).name());
    accepted(ctx, view, "rollback", Map.of("id", id));
  }

  /**
   * Hands a verb to the controller; what it refuses (a sync window closed, gone meanwhile,
   * manifests lost) is a 409.
   */
  private static void act(Runnable verb) {
    try {
      verb.run();
    } catch (SyncWindowClosedException closed) {
      throw new BadRequest(
          409,
          "sync_window_closed",
          closed.getMessage(),
          Optional.empty(),
          "sync when the window opens, or have the window (the project's, or the environment's in"
              + " environments/policy.yaml) allow manual syncs (manualSync: true)");
    } catch (TagflowException refused) {
      throw new BadRequest(
          409, "conflict", refused.getMessage(), Optional.empty(), "look at the application again");
    }
  }

  /** A sync or rollback while one runs is refused: the caller waits or looks at the running one. */
  private static void running(ApplicationView view) {
    Optional<ApplicationStatus.Operation> operation = view.status().operation();
    if (operation.isPresent() && !operation.get().phase().isFinal()) {
      throw new BadRequest(
          409,
          "conflict",
          "a sync of '" + view.name() + "' is running (" + operation.get().step() + ")",
          Optional.empty(),
          "wait for it: GET " + PATH + "/" + view.name());
    }
  }

  private static void accepted(
      Context ctx, ApplicationView view, String operation, Map<String, Object> options) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("application", view.name());
    answer.put("operation", operation);
    answer.put("options", options);
    answer.put("acceptedAt", Instant.now().toString());
    answer.put("status", PATH + "/" + view.name());
    ctx.status(202).json(answer);
  }
}
