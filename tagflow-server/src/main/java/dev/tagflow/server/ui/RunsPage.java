package dev.tagflow.server.ui;

import dev.tagflow.server.api.Access;
import dev.tagflow.server.api.AccessGate;
import dev.tagflow.server.api.ObjectOf;
import dev.tagflow.server.api.RouteTable;
import dev.tagflow.store.RunRecord;
import dev.tagflow.store.Store;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pipeline runs: a list (repository, ref, status, duration, started) of the runs the viewer may
 * {@code runs/get}, and a run's page with its jobs, steps, artifacts and images and its log
 * followed live ({@link RunLogEvents}).
 */
final class RunsPage implements AutoCloseable {

  static final String LIST = "/ui/runs";
  static final String RUN = "/ui/runs/{id}";
  static final String LOG = "/ui/runs/{id}/log/events";

  /** Runs listed on one page. */
  static final int PAGE_SIZE = 50;

  /** Run logs one session may follow at once. */
  static final int STREAMS_PER_SESSION = 8;

  private final PageFrame frame;
  private final Store store;
  private final RunLogEvents logs;

  RunsPage(PageFrame frame, Store store, Duration heartbeat) {
    this.frame = frame;
    this.store = store;
    this.logs =
        new RunLogEvents(
            store.runs(),
            lines -> frame.render("loglines.jte", Map.of("lines", lines)).replace("\n", ""),
            run -> summary(run).replace("\r", "").replace("\n", " "),
            STREAMS_PER_SESSION,
            Duration.ofMillis(200),
            heartbeat);
  }

  void addTo(RouteTable table) {
    table.get(
        LIST,
        new Access.SignedIn("lists only the runs of repositories the viewer may get"),
        this::list);
    ObjectOf repository = new ObjectOf("the run's repository", this::repositoryOf);
    table.get(RUN, Access.needs("runs/get", repository), this::run);
    table.get(LOG, Access.needs("runs/get", repository), this::log);
  }

  /** The permission object of a run: its repository; empty when there is no such run. */
  private String repositoryOf(Context ctx) {
    return store.runs().get(ctx.pathParam("id")).map(RunRecord::repository).orElse("");
  }

  private void list(Context ctx) {
    int page = Paging.page(ctx);
    // Read one more than shown: whether a next page exists.
    List<RunRecord> runs =
        store.runs().latest((page + 1) * PAGE_SIZE + 1).stream()
            .filter(run -> frame.allows(ctx, "runs/get", run.repository()))
            .toList();
    Map<String, Object> params = frame.params(ctx);
    params.put("runs", Paging.slice(runs, page, PAGE_SIZE));
    params.put("page", page);
    params.put("more", runs.size() > (page + 1) * PAGE_SIZE);
    params.put("now", frame.clock().instant());
    frame.page(ctx, "runs.jte", params);
  }

  private void run(Context ctx) {
    Optional<RunRecord> run = store.runs().get(ctx.pathParam("id"));
    if (run.isEmpty()) {
      ctx.status(404);
      Map<String, Object> params = frame.params(ctx);
      params.put("title", "No such run");
      params.put(
          "message",
          "There is no run " + ctx.pathParam("id") + ". The list of runs has the others.");
      params.put("back", LIST);
      frame.page(ctx, "missing.jte", params);
      return;
    }
    Map<String, Object> params = frame.params(ctx);
    params.put("view", view(run.get()));
    params.put("now", frame.clock().instant());
    frame.page(ctx, "run.jte", params);
  }

  private void log(Context ctx) throws Exception {
    logs.open(ctx, PageFrame.owner(AccessGate.principal(ctx)), ctx.pathParam("id"));
  }

  private RunView view(RunRecord run) {
    return RunView.of(run, store.builtImages().ofRun(run.runId()));
  }

  private String summary(RunRecord run) {
    return frame.render(
        "runsummary.jte", Map.of("view", view(run), "now", frame.clock().instant()));
  }

  @Override
  public void close() {
    logs.close();
  }
}
