package dev.tagflow.server.api;

import dev.tagflow.TagflowException;
import dev.tagflow.app.Application;
import dev.tagflow.promote.Approver;
import dev.tagflow.promote.EnvRepoWriter;
import dev.tagflow.server.auth.Principal;
import dev.tagflow.server.rbac.ApplicationEnvironment;
import dev.tagflow.server.rbac.Authorizer;
import dev.tagflow.server.rbac.Permission;
import dev.tagflow.store.PromotionRecord;
import dev.tagflow.store.PromotionRecord.PromotionState;
import dev.tagflow.store.PromotionStore;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Promotion requests under {@code /api/v1/promotions}: list (pending or decided), get, approve and
 * reject, decided by the same rules as {@code tagflow approvals}: the environment policy's number
 * of distinct approvers with one of its roles, never the release's author. The approver is the
 * caller's user (a token acts as its owner) and holds the built-in roles the policy grants it.
 */
public final class PromotionRoutes {

  private static final Logger log = LoggerFactory.getLogger(PromotionRoutes.class);

  public static final String PATH = "/api/v1/promotions";

  private static final Permission GET = Permission.of("promotions/get");

  private final PromotionStore promotions;
  private final Authorizer authorizer;
  private final Supplier<Optional<EnvRepoWriter>> writer;
  private final Supplier<List<Application>> applications;

  /**
   * @param writer the server's environment-repository writer, which merges an approved request;
   *     empty until the release pipeline runs
   * @param applications the registered applications, whose projects name the requests' objects
   */
  public PromotionRoutes(
      PromotionStore promotions,
      Authorizer authorizer,
      Supplier<Optional<EnvRepoWriter>> writer,
      Supplier<List<Application>> applications) {
    this.promotions = promotions;
    this.authorizer = authorizer;
    this.writer = writer;
    this.applications = applications;
  }

  public void addTo(RouteTable table, OpenApiDocument docs) {
    String one = PATH + "/{id}";
    table.get(
        PATH,
        new Access.SignedIn(
            "each request is listed only if the caller has promotions/get on its"
                + " project/environment/release"),
        Handlers.answered(this::list));
    docs.describe(
        "GET " + PATH,
        OpenApiDocument.Operation.of(
                "Promotion requests, newest first", ResourceSchemas.PROMOTION_LIST)
            .query("state", "pending (the default), decided, or all")
            .query("limit", "at most this many, 1 to 500 (100)"));
    table.get(one, access("promotions/get"), Handlers.answered(this::get));
    docs.describe(
        "GET " + one,
        OpenApiDocument.Operation.of("A promotion request", ResourceSchemas.PROMOTION));
    table.post(one + "/approve", access("promotions/approve"), Handlers.answered(this::approve));
    docs.describe(
        "POST " + one + "/approve",
        OpenApiDocument.Operation.of(
                "Approve as the caller; the approval that makes enough merges it",
                ResourceSchemas.PROMOTION)
            .body(ResourceSchemas.APPROVE_REQUEST));
    table.post(one + "/reject", access("promotions/reject"), Handlers.answered(this::reject));
    docs.describe(
        "POST " + one + "/reject",
        OpenApiDocument.Operation.of(
                "Reject it; its branch is deleted, the environment is not touched",
                ResourceSchemas.PROMOTION)
            .body(ResourceSchemas.REJECT_REQUEST));
  }

  /** A request's permission object, by {@link ApplicationEnvironment}'s rule. */
  String objectOf(PromotionRecord request) {
    return ApplicationEnvironment.objectOf(request, applications.get());
  }

  private Access access(String permission) {
    return Access.needs(
        permission,
        new ObjectOf(
            "project/environment/release of the request (project - when no application"
                + " explains it, -/-/- when there is no request)",
            ctx ->
                idOf(ctx.pathParam("id"))
                    .flatMap(promotions::get)
                    .map(this::objectOf)
                    .orElse("-/-/-")));
  }

  private static Optional<Long> idOf(String text) {
    if (!text.matches("[0-9]{1,18}")) {
      return Optional.empty();
    }
    return Optional.of(Long.parseLong(text));
  }

  private PromotionRecord request(Context ctx) {
    String text = ctx.pathParam("id");
    long id =
        idOf(text)
            .orElseThrow(
                () ->
                    BadRequest.field(
                        "id",
                        "'" + Handlers.shorten(text) + "' is not a promotion request id",
                        "ids are numbers: see GET " + PATH));
    return promotions
        .get(id)
        .orElseThrow(
            () ->
                Handlers.notFound(
                    "there is no promotion request " + id, "id", "see GET " + PATH + "?state=all"));
  }

  private void list(Context ctx) {
    int limit = Handlers.limit(ctx, "limit", 100, 500);
    String state = Optional.ofNullable(ctx.queryParam("state")).orElse("pending");
    List<PromotionRecord> found =
        switch (state) {
          case "pending" -> promotions.list(Optional.of(PromotionState.PENDING));
          case "decided" ->
              promotions.list(Optional.empty()).stream()
                  .filter(r -> r.state() != PromotionState.PENDING)
                  .toList();
          case "all" -> promotions.list(Optional.empty());
          default ->
              throw BadRequest.field(
                  "state",
                  "'" + Handlers.shorten(state) + "' is not a state to list",
                  "use pending, decided or all");
        };
    Set<String> subjects = AccessGate.principal(ctx).subjects();
    ctx.json(
        Map.of(
            "items",
            found.stream()
                .sorted((a, b) -> Long.compare(b.id(), a.id()))
                .filter(r -> authorizer.allows(subjects, GET, objectOf(r)))
                .limit(limit)
                .map(PromotionView::json)
                .toList()));
  }

  private void get(Context ctx) {
    ctx.json(PromotionView.json(request(ctx)));
  }

  private void approve(Context ctx) {
    RequestBody.read(ctx.bodyAsBytes(), ctx.contentType(), Set.of());
    PromotionRecord request = request(ctx);
    Approver approver = approver(ctx);
    PromotionRecord after;
    try {
      after = writer().approve(request.id(), approver);
    } catch (TagflowException refused) {
      throw Handlers.refused(refused, "see GET " + PATH + "/" + request.id());
    }
    log.info("promotion request {} approved by {} through the API", request.id(), approver.name());
    ctx.json(PromotionView.json(after));
  }

  private void reject(Context ctx) {
    RequestBody body = RequestBody.read(ctx.bodyAsBytes(), ctx.contentType(), Set.of("reason"));
    String reason = body.text("reason", 1000).orElse("");
    PromotionRecord request = request(ctx);
    Approver approver = approver(ctx);
    PromotionRecord after;
    try {
      after = writer().reject(request.id(), approver, reason);
    } catch (TagflowException refused) {
      throw Handlers.refused(refused, "see GET " + PATH + "/" + request.id());
    }
    log.info("promotion request {} rejected by {} through the API", request.id(), approver.name());
    ctx.json(PromotionView.json(after));
  }

  private EnvRepoWriter writer() {
    return writer
        .get()
        .orElseThrow(
            () ->
                new BadRequest(
                    503,
                    "unavailable",
                    "this server does not promote: its release pipeline is not running",
                    Optional.empty(),
                    "start tagflow server with its pipeline (the default)"));
  }

  /**
   * The caller as an approver: its user (a token's owner, never the token's name, so one person's
   * tokens count once), with the built-in roles the policy grants it; an admin holds them all.
   */
  private Approver approver(Context ctx) {
    Principal principal = AccessGate.principal(ctx);
    String user =
        principal.subjects().stream()
            .filter(s -> !s.startsWith("token:") && !s.startsWith("role:"))
            .sorted()
            .findFirst()
            .orElse(principal.name());
    Set<String> roles = new TreeSet<>();
    for (String subject : authorizer.policy().closure(principal.subjects())) {
      if (subject.startsWith("role:")) {
        roles.add(subject.substring("role:".length()));
      }
    }
    if (roles.contains("admin")) {
      roles.addAll(List.of("viewer", "deployer", "release-manager"));
    }
    return new Approver(user, roles);
  }
}
