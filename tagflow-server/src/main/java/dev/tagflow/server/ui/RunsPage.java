package dev.tagflow.server.ui;

import dev.tagflow.server.api.Access;
import dev.tagflow.server.api.AccessGate;
import dev.tagflow.server.api.ObjectOf;
import dev.tagflow.server.api.RouteTable;
import dev.tagflow.server.pipeline.RunControl;
import dev.tagflow.store.RunRecord;
import dev.tagflow.store.Store;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline runs: a list (repository, ref, status, duration, started) of the runs the viewer may
 * {@code runs/get}, and a run's page with its jobs, steps, artifacts and images and its log
 * followed live ({@link RunLogEvents}). Both offer cancel (after a confirmation) and re-run buttons
 * to whom may {@code runs/cancel} and {@code runs/rerun} the run's repository, done by the same
 * {@link RunControl} as the API's verbs; a click answers the run's buttons with what it did.
 */
final class RunsPage implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RunsPage.class);

  static final String LIST = "/ui/runs";
  static final String RUN = "/ui/runs/{id}";
  static final String LOG = "/ui/runs/{id}/log/events";
  static final String CANCEL = "/ui/runs/{id}/cancel";
  static final String RERUN = "/ui/runs/{id}/rerun";

  /** Runs listed on one page. */
  static final int PAGE_SIZE = 50;

  /** Run logs one session may follow at once. */
  static final int STREAMS_PER_SESSION = 8;

  private final PageFrame frame;
  private final Store store;
  private final RunLogEvents logs;
  private final RunControl control;

  RunsPage(PageFrame frame, Store store, RunControl control, Duration heartbeat) {
    this.frame = frame;
    this.store = store;
    this.control = control;
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
    table.post(CANCEL, Access.needs("runs/cancel", repository), this::cancel);
    table.post(RERUN, Access.needs("runs/rerun", repository), this::rerun);
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
    List<RunRecord> shown = Paging.slice(runs, page, PAGE_SIZE);
    Map<String, RunActions> actions = new HashMap<>();
    String csrf = (String) params.get("csrf");
    shown.forEach(run -> actions.put(run.runId(), actions(ctx, run, csrf, "", false, null)));
    params.put("runs", shown);
    params.put("actions", actions);
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
    params.put("actions", actions(ctx, run.get(), (String) params.get("csrf"), "", false, null));
    params.put("now", frame.clock().instant());
    frame.page(ctx, "run.jte", params);
  }

  private void log(Context ctx) throws Exception {
    logs.open(ctx, PageFrame.owner(AccessGate.principal(ctx)), ctx.pathParam("id"));
  }

  private void cancel(Context ctx) throws InterruptedException {
    Optional<RunRecord> run = store.runs().get(ctx.pathParam("id"));
    if (run.isEmpty()) {
      noSuchRun(ctx);
      return;
    }
    String who = AccessGate.principal(ctx).name();
    RunControl.Outcome outcome =
        control.cancel(run.get(), "cancelled by " + who + " in the web UI");
    log.info("run={} cancel asked by {} in the web UI: {}", run.get().runId(), who, outcome);
    String done =
        run.get().status() == RunRecord.RunStatus.QUEUED
            ? "Run " + run.get().runId() + " was taken off the queue."
            : "Cancel requested: run " + run.get().runId() + " stops within a second.";
    answer(ctx, run.get(), outcome, done);
  }

  private void rerun(Context ctx) {
    Optional<RunRecord> run = store.runs().get(ctx.pathParam("id"));
    if (run.isEmpty()) {
      noSuchRun(ctx);
      return;
    }
    RunControl.Outcome outcome = control.rerun(run.get(), false);
    log.info(
        "run={} rerun asked by {} in the web UI: {}",
        run.get().runId(),
        AccessGate.principal(ctx).name(),
        outcome);
    answer(ctx, run.get(), outcome, "Re-run queued.");
  }

  /**
   * Answers a click: htmx gets the run's buttons with what was done (422 or 503 with the refusal,
   * which the page shows in place); a form sent without script goes to the run's page.
   */
  private void answer(Context ctx, RunRecord before, RunControl.Outcome outcome, String done) {
    if (ctx.header("HX-Request") == null) {
      String target =
          outcome instanceof RunControl.Outcome.Accepted accepted ? accepted.run() : before.runId();
      ctx.redirect("/ui/runs/" + target, io.javalin.http.HttpStatus.SEE_OTHER);
      return;
    }
    RunRecord now = store.runs().get(before.runId()).orElse(before);
    String csrf = frame.csrf(ctx, AccessGate.principal(ctx));
    RunActions actions =
        switch (outcome) {
          case RunControl.Outcome.Accepted accepted -> {
            ctx.status(200);
            boolean rerun = !accepted.run().equals(before.runId());
            RunActions shown = actions(ctx, now, csrf, done, false, rerun ? accepted.run() : null);
            // A cancel asked for is not offered again while the run stops.
            yield rerun
                ? shown
                : new RunActions(
                    now, csrf, false, false, shown.available(), done, false, Optional.empty());
          }
          case RunControl.Outcome.Refused refused -> {
            ctx.status(refused.refusal() == RunControl.Refusal.NO_PIPELINE ? 503 : 422);
            yield actions(
                ctx,
                now,
                csrf,
                "Refused: " + refused.message() + " (" + refused.fix() + ")",
                true,
                null);
          }
        };
    PageFrame.html(ctx, frame.render("runactions.jte", Map.of("actions", actions)));
  }

  private RunActions actions(
      Context ctx, RunRecord run, String csrf, String notice, boolean refused, String newRun) {
    boolean ended = run.status().isEnded();
    return new RunActions(
        run,
        csrf,
        !ended && frame.allows(ctx, "runs/cancel", run.repository()),
        ended && frame.allows(ctx, "runs/rerun", run.repository()),
        control.available(),
        notice,
        refused,
        Optional.ofNullable(newRun));
  }

  private static void noSuchRun(Context ctx) {
    ctx.status(404);
    PageFrame.html(ctx, "<p role=\"alert\">There is no such run.</p>");
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
