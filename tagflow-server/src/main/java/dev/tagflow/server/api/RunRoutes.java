package dev.tagflow.server.api;

import dev.tagflow.TagflowException;
import dev.tagflow.server.auth.Principal;
import dev.tagflow.server.pipeline.PipelineService;
import dev.tagflow.server.pipeline.RunControl;
import dev.tagflow.server.rbac.Authorizer;
import dev.tagflow.server.rbac.Permission;
import dev.tagflow.store.BuiltImageStore;
import dev.tagflow.store.RunRecord;
import dev.tagflow.store.RunStore;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;

/**
 * The release pipeline's runs under {@code /api/v1/runs}: list, get (jobs, steps, images,
 * artifacts), the log as text or followed live ({@link RunLogStreams}), and the dispatch, rerun and
 * cancel verbs, handed to the server's {@link PipelineService} (a cancel as {@code tagflow runs
 * cancel} asks it). A server without its pipeline lists the stored runs and answers 503 to the
 * verbs.
 */
public final class RunRoutes implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RunRoutes.class);

  public static final String PATH = "/api/v1/runs";

  /** The most runs one answer holds. */
  static final int MAX_LIMIT = 500;

  /** How many followed logs one session or token may have open. */
  static final int STREAMS_PER_OWNER = 8;

  private static final Permission GET = Permission.of("runs/get");
  private static final Set<String> STATUSES =
      Set.of("queued", "running", "success", "failure", "cancelled", "interrupted", "refused");

  private final RunStore runs;
  private final BuiltImageStore images;
  private final Authorizer authorizer;
  private final Supplier<Optional<PipelineService>> pipeline;
  private final RunControl control;
  private final ObjectMapper json;
  private final RunLogStreams streams;

  /**
   * @param pipeline the server's pipeline, once it runs
   * @param control cancels and reruns, as the web UI's buttons do
   * @param heartbeat how often a quiet followed log gets a heartbeat comment
   */
  public RunRoutes(
      RunStore runs,
      BuiltImageStore images,
      Authorizer authorizer,
      Supplier<Optional<PipelineService>> pipeline,
      RunControl control,
      ObjectMapper json,
      Duration heartbeat) {
    this.runs = runs;
    this.images = images;
    this.authorizer = authorizer;
    this.pipeline = pipeline;
    this.control = control;
    this.json = json;
    this.streams = new RunLogStreams(runs, STREAMS_PER_OWNER, heartbeat);
  }

  public void addTo(RouteTable table, OpenApiDocument docs) {
    String one = PATH + "/{id}";
    table.get(
        PATH,
        new Access.SignedIn("each run is listed only if the caller has runs/get on its repository"),
        Handlers.answered(this::list));
    docs.describe(
        "GET " + PATH,
        OpenApiDocument.Operation.of("Pipeline runs, newest first", ResourceSchemas.RUN_LIST)
            .query("repository", "only this repository's runs (owner/name, e.g. git/app)")
            .query("status", "only runs in this status: " + String.join(", ", sorted(STATUSES)))
            .query("ref", "only runs of this tag or branch (v1.2.3 or refs/tags/v1.2.3)")
            .query("limit", "at most this many, 1 to " + MAX_LIMIT + " (100)"));
    table.post(
        PATH,
        Access.needs("runs/dispatch", ObjectOf.bodyField("repository", json)),
        Handlers.answered(this::dispatch));
    docs.describe(
        "POST " + PATH,
        OpenApiDocument.Operation.of(
                "Run a workflow by hand (workflow_dispatch) at a tag or branch",
                ResourceSchemas.RUN_ACCEPTED)
            .status(202)
            .body(ResourceSchemas.DISPATCH_REQUEST));
    table.get(one, access("runs/get"), Handlers.answered(this::get));
    docs.describe(
        "GET " + one,
        OpenApiDocument.Operation.of(
            "A run with its jobs, steps, artifacts and the images it pushed", ResourceSchemas.RUN));
    table.get(one + "/logs", access("runs/get"), Handlers.answered(this::logs));
    docs.describe(
        "GET " + one + "/logs",
        OpenApiDocument.Operation.of(
                "Its log as text; with follow=true and Accept: text/event-stream, live: 'log'"
                    + " events (one line each, id = byte offset), heartbeat comments, an 'end'"
                    + " event with the status",
                ResourceSchemas.TEXT)
            .query("follow", "true: follow it live as server-sent events until the run ends"));
    table.post(one + "/cancel", access("runs/cancel"), Handlers.answered(this::cancel));
    docs.describe(
        "POST " + one + "/cancel",
        OpenApiDocument.Operation.of(
                "Cancel a queued or running run (its step processes are killed)",
                ResourceSchemas.RUN_ACCEPTED)
            .status(202));
    table.post(one + "/rerun", access("runs/rerun"), Handlers.answered(this::rerun));
    docs.describe(
        "POST " + one + "/rerun",
        OpenApiDocument.Operation.of(
                "Run an ended run's workflow again at its commit", ResourceSchemas.RUN_ACCEPTED)
            .status(202)
            .body(ResourceSchemas.RERUN_REQUEST));
  }

  private static List<String> sorted(Set<String> values) {
    return values.stream().sorted().toList();
  }

  private Access access(String permission) {
    return Access.needs(
        permission,
        new ObjectOf(
            "the run's repository (- when there is no such run)",
            ctx -> {
              String id = ctx.pathParam("id");
              return Handlers.ID.matcher(id).matches()
                  ? runs.get(id).map(RunRecord::repository).orElse("-")
                  : "-";
            }));
  }

  private RunRecord run(Context ctx) {
    String id = Handlers.id(ctx, "id", "a run id");
    return runs.get(id)
        .orElseThrow(
            () ->
                Handlers.notFound(
                    "there is no run '" + id + "'", "id", "see GET " + PATH + " for the runs"));
  }

  private void list(Context ctx) {
    int limit = Handlers.limit(ctx, "limit", 100, MAX_LIMIT);
    String repository = ctx.queryParam("repository");
    String ref = ctx.queryParam("ref");
    String status = ctx.queryParam("status");
    if (status != null && !STATUSES.contains(status)) {
      throw BadRequest.field(
          "status",
          "'" + Handlers.shorten(status) + "' is not a run status",
          "use one of " + sorted(STATUSES));
    }
    Set<String> subjects = AccessGate.principal(ctx).subjects();
    List<Map<String, Object>> items =
        runs.latest(10_000).stream()
            .filter(r -> repository == null || r.repository().equals(repository))
            .filter(
                r ->
                    ref == null
                        || r.ref().equals(ref)
                        || r.ref().equals("refs/tags/" + ref)
                        || r.ref().equals("refs/heads/" + ref))
            .filter(r -> status == null || RunView.status(r).equals(status))
            .filter(r -> authorizer.allows(subjects, GET, r.repository()))
            .limit(limit)
            .map(RunView::summary)
            .toList();
    ctx.json(Map.of("items", items));
  }

  private void get(Context ctx) {
    RunRecord run = run(ctx);
    ctx.json(RunView.detail(run, images.ofRun(run.runId())));
  }

  private void logs(Context ctx) throws Exception {
    RunRecord run = run(ctx);
    String follow = ctx.queryParam("follow");
    if (follow != null && !follow.equals("true") && !follow.equals("false")) {
      throw BadRequest.field(
          "follow", "follow is '" + Handlers.shorten(follow) + "'", "true or false");
    }
    if ("true".equals(follow)) {
      Principal principal = AccessGate.principal(ctx);
      streams.open(ctx, principal.session().orElse(principal.name()), run);
      return;
    }
    Path file = Path.of(run.log());
    ctx.contentType("text/plain; charset=utf-8");
    if (!Files.exists(file)) {
      // A queued run has no log yet.
      ctx.result("");
      return;
    }
    try {
      ctx.result(Files.newInputStream(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the log of run " + run.runId(), e);
    }
  }

  private PipelineService pipeline() {
    return pipeline
        .get()
        .orElseThrow(
            () ->
                new BadRequest(
                    503,
                    "unavailable",
                    "this server's release pipeline is not running",
                    Optional.empty(),
                    "start tagflow server with its pipeline (the default)"));
  }

  private void dispatch(Context ctx) {
    RequestBody body =
        RequestBody.read(
            ctx.bodyAsBytes(),
            ctx.contentType(),
            Set.of("repository", "workflow", "ref", "inputs"));
    String repository = body.requiredText("repository", 256, "{\"repository\": \"app\"}");
    String workflow = body.requiredText("workflow", 256, "{\"workflow\": \"release.yml\"}");
    String ref = body.requiredText("ref", 256, "{\"ref\": \"v1.2.3\"}");
    Map<String, String> inputs = body.strings("inputs", 64, 4096);
    String id;
    try {
      id = pipeline().dispatch(repository, ref, workflow, inputs);
    } catch (TagflowException refused) {
      throw Handlers.refused(refused, "see docs/api.md (runs) and docs/workflows.md");
    }
    log.info(
        "run={} dispatched by {}: {} {} at {}",
        id,
        AccessGate.principal(ctx).name(),
        repository,
        workflow,
        ref);
    accepted(ctx, id, "dispatch");
  }

  private void rerun(Context ctx) {
    RequestBody body = RequestBody.read(ctx.bodyAsBytes(), ctx.contentType(), Set.of("force"));
    boolean force = body.bool("force").orElse(false);
    RunRecord run = run(ctx);
    String id = accepted(control.rerun(run, force));
    log.info("run={} rerun of {} asked by {}", id, run.runId(), AccessGate.principal(ctx).name());
    accepted(ctx, id, "rerun");
  }

  private void cancel(Context ctx) throws InterruptedException {
    RequestBody.read(ctx.bodyAsBytes(), ctx.contentType(), Set.of());
    RunRecord run = run(ctx);
    String by = "cancelled by " + AccessGate.principal(ctx).name() + " through the API";
    accepted(control.cancel(run, by));
    log.info("run={} cancel asked by {}", run.runId(), AccessGate.principal(ctx).name());
    accepted(ctx, run.runId(), "cancel");
  }

  /** The run a verb was done on, or its refusal as the API answers it. */
  private static String accepted(RunControl.Outcome outcome) {
    return switch (outcome) {
      case RunControl.Outcome.Accepted accepted -> accepted.run();
      case RunControl.Outcome.Refused refused ->
          throw switch (refused.refusal()) {
            case NO_PIPELINE ->
                new BadRequest(
                    503, "unavailable", refused.message(), Optional.empty(), refused.fix());
            case INVALID ->
                new BadRequest(
                    400, "invalid_request", refused.message(), Optional.empty(), refused.fix());
            case CONFLICT ->
                new BadRequest(409, "conflict", refused.message(), Optional.empty(), refused.fix());
          };
    };
  }

  private static void accepted(Context ctx, String id, String operation) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("run", id);
    answer.put("operation", operation);
    answer.put("status", PATH + "/" + id);
    ctx.status(202).json(answer);
  }

  /** Closes the followed logs' streams: before the HTTP server stops. */
  @Override
  public void close() {
    streams.close();
  }
}
