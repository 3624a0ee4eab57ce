package dev.tagflow.server.ui;

import dev.tagflow.TagflowException;
import dev.tagflow.promote.Approver;
import dev.tagflow.promote.EnvRepoWriter;
import dev.tagflow.promote.YamlPath;
import dev.tagflow.server.api.Access;
import dev.tagflow.server.api.AccessGate;
import dev.tagflow.server.api.ObjectOf;
import dev.tagflow.server.api.RouteTable;
import dev.tagflow.server.auth.Principal;
import dev.tagflow.server.rbac.ApplicationEnvironment;
import dev.tagflow.store.PromotionRecord;
import dev.tagflow.store.PromotionRecord.PromotionState;
import dev.tagflow.store.PromotionStore;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The approvals inbox: the pending promotion requests the viewer may see, each with what it changes
 * (environment, version before and after, the diff of the values file), and approve / reject
 * buttons. Deciding goes through the server's {@link EnvRepoWriter}, so the environment policy's
 * rules hold exactly as for {@code tagflow approvals approve}: enough distinct approvers, never the
 * release's author, one of the roles the environment asks for (production: release-manager); a
 * refusal is shown as the writer words it.
 */
public final class ApprovalsPage {

  private static final Logger log = LoggerFactory.getLogger(ApprovalsPage.class);

  static final String INBOX = "/ui/approvals";
  static final String APPROVE = "/ui/approvals/{id}/approve";
  static final String REJECT = "/ui/approvals/{id}/reject";

  /** The longest rejection reason kept. */
  static final int MAX_REASON_CHARS = 500;

  private final PageFrame frame;
  private final PromotionStore promotions;
  private final Optional<EnvRepoWriter> writer;
  private final BoardSource applications;

  ApprovalsPage(PageFrame frame, DeliverySource source, BoardSource applications) {
    this.frame = frame;
    this.promotions = source.store().promotions();
    this.writer = source.writer();
    this.applications = applications;
  }

  void addTo(RouteTable table) {
    table.get(
        INBOX,
        new Access.SignedIn("lists only the requests the viewer may get (promotions/get)"),
        this::inbox);
    ObjectOf request = new ObjectOf("the request's project/environment/release", this::objectOf);
    table.post(APPROVE, Access.needs("promotions/approve", request), this::approve);
    table.post(REJECT, Access.needs("promotions/reject", request), this::reject);
  }

  /**
   * A request as the inbox shows it.
   *
   * @param from the value its first change replaces ({@code 1.2.2}), or empty when unknown
   * @param diff the values file's diff, when the environment repository could be read
   * @param problem why the diff is not shown, or empty
   * @param canDecide whether the viewer's roles let them approve or reject it (RBAC)
   * @param notice what the last decision did or why it was refused, or empty
   * @param refused whether {@code notice} is a refusal
   */
  public record Card(
      PromotionRecord request,
      String from,
      Optional<LineDiff> diff,
      String problem,
      boolean canDecide,
      String notice,
      boolean refused) {

    /** Its values, {@code image.tag=1.2.3, …}. */
    public String changes() {
      return request.draft().changes().stream()
          .map(c -> c.path() + "=" + c.value())
          .collect(Collectors.joining(", "));
    }
  }

  private void inbox(Context ctx) {
    List<Card> cards =
        promotions.list(Optional.of(PromotionState.PENDING)).stream()
            .filter(r -> frame.allows(ctx, "promotions/get", objectOf(r)))
            .map(r -> card(ctx, r, "", false))
            .toList();
    Map<String, Object> params = frame.params(ctx);
    params.put("cards", cards);
    params.put(
        "notice",
        writer.isPresent()
            ? ""
            : "This server runs no pipeline: requests are listed, and decided with tagflow"
                + " approvals on the server's data directory.");
    frame.page(ctx, "approvals.jte", params);
  }

  private void approve(Context ctx) {
    decide(ctx, (w, id, approver) -> w.approve(id, approver));
  }

  private void reject(Context ctx) {
    String reason = Optional.ofNullable(ctx.formParam("reason")).orElse("").strip();
    if (reason.length() > MAX_REASON_CHARS) {
      reason = reason.substring(0, MAX_REASON_CHARS);
    }
    String given = reason;
    decide(ctx, (w, id, approver) -> w.reject(id, approver, given));
  }

  private interface Decision {
    PromotionRecord apply(EnvRepoWriter writer, long id, Approver approver);
  }

  private void decide(Context ctx, Decision decision) {
    Optional<PromotionRecord> found = request(ctx);
    if (found.isEmpty()) {
      ctx.status(404);
      PageFrame.html(ctx, "<p role=\"alert\">There is no such promotion request.</p>");
      return;
    }
    if (writer.isEmpty()) {
      answer(ctx, 503, card(ctx, found.get(), "this server runs no pipeline to decide it", true));
      return;
    }
    Approver approver = approverOf(AccessGate.principal(ctx));
    try {
      PromotionRecord after = decision.apply(writer.get(), found.get().id(), approver);
      answer(ctx, 200, card(ctx, after, outcome(after), false));
    } catch (TagflowException e) {
      // The writer's words: not pending, the release's author, a missing role, approved twice,
      // or a merge that failed (the request is pending again).
      log.info(
          "promotion request {}: {} refused: {}",
          found.get().id(),
          approver.name(),
          e.getMessage());
      PromotionRecord now = promotions.get(found.get().id()).orElse(found.get());
      answer(
          ctx,
          e.reason() == TagflowException.Reason.INVALID_INPUT ? 422 : 503,
          card(ctx, now, e.getMessage(), true));
    }
  }

  private void answer(Context ctx, int status, Card card) {
    ctx.status(status);
    PageFrame.html(ctx, frame.render("approvalcard.jte", Map.of("card", card)));
  }

  private static String outcome(PromotionRecord request) {
    return switch (request.state()) {
      case MERGED -> "Approved and " + request.message() + ".";
      case REJECTED -> "Rejected: " + request.message() + ".";
      case PENDING ->
          "Approved ("
              + request.approvals().size()
              + " of "
              + request.draft().requiredApprovals()
              + "); it waits for more approvals.";
      default -> request.state().displayName() + ": " + request.message();
    };
  }

  private Card card(Context ctx, PromotionRecord request, String notice, boolean refused) {
    Optional<LineDiff> diff = Optional.empty();
    String problem = "";
    String from = "";
    if (writer.isEmpty()) {
      problem = "the diff is read from the environment repository by the server's pipeline";
    } else if (request.state() == PromotionState.PENDING) {
      try {
        Optional<EnvRepoWriter.ProposedValues> proposed = writer.get().proposed(request);
        if (proposed.isPresent()) {
          diff = Optional.of(LineDiff.of(proposed.get().before(), proposed.get().after()));
          from = valueAt(proposed.get().before(), request);
        } else {
          problem = "the request's branch is no longer in the environment repository";
        }
      } catch (TagflowException e) {
        problem = "the environment repository cannot be read: " + e.getMessage();
      }
    }
    return new Card(
        request,
        from,
        diff,
        problem,
        frame.allows(ctx, "promotions/approve", objectOf(request)),
        notice,
        refused);
  }

  /** The value at the first change's path in the file before, as text; empty when not there. */
  static String valueAt(String yaml, PromotionRecord request) {
    if (request.draft().changes().isEmpty() || yaml.isBlank()) {
      return "";
    }
    Object node;
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      options.setMaxAliasesForCollections(10);
      node = new Yaml(new SafeConstructor(options)).load(yaml);
    } catch (YAMLException e) {
      // The version before is then not named; the diff below still shows the file.
      return "";
    }
    for (YamlPath.Segment segment :
        YamlPath.parse(request.draft().changes().getFirst().path()).segments()) {
      node = child(node, segment);
      if (node == null) {
        return "";
      }
    }
    return node instanceof Map<?, ?> || node instanceof List<?> ? "" : String.valueOf(node);
  }

  private static Object child(Object node, YamlPath.Segment segment) {
    return switch (segment) {
      case YamlPath.Key key -> node instanceof Map<?, ?> map ? map.get(key.name()) : null;
      case YamlPath.Index index ->
          node instanceof List<?> list && index.position() < list.size()
              ? list.get(index.position())
              : null;
    };
  }

  private Optional<PromotionRecord> request(Context ctx) {
    String id = ctx.pathParam("id");
    if (!id.matches("[0-9]{1,18}")) {
      return Optional.empty();
    }
    return promotions.get(Long.parseLong(id));
  }

  /** The permission object of the request in the path; empty when there is none. */
  private String objectOf(Context ctx) {
    return request(ctx).map(this::objectOf).orElse("");
  }

  /** The permission object of a request, by {@link ApplicationEnvironment}'s rule. */
  String objectOf(PromotionRecord request) {
    return ApplicationEnvironment.objectOf(
        request, applications.entries().stream().map(Board.Entry::application).toList());
  }

  /**
   * Who decides: the user behind the session or token, with the roles the RBAC policy grants them
   * ({@code role:release-manager} is the role {@code release-manager} an environment asks for).
   */
  Approver approverOf(Principal principal) {
    String user =
        principal.subjects().stream()
            .filter(s -> !s.startsWith("token:") && !s.equals("git-token"))
            .sorted()
            .findFirst()
            .orElse(principal.name());
    Set<String> roles =
        frame.access().authorizer().policy().closure(principal.subjects()).stream()
            .filter(s -> s.startsWith("role:"))
            .map(s -> s.substring("role:".length()))
            .collect(Collectors.toSet());
    return new Approver(user, roles);
  }
}
