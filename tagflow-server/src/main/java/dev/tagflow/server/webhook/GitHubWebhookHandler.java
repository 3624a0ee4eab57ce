package dev.tagflow.server.webhook;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/webhooks/github}: verifies {@code X-Hub-Signature-256}, answers {@code ping},
 * and turns {@code push}, {@code create} and {@code delete} deliveries into a refresh of all refs
 * of the repository.
 */
public final class GitHubWebhookHandler implements Handler {

  /** Events that mean some ref may have moved; everything else is answered and ignored. */
  private static final Set<String> REF_EVENTS = Set.of("push", "create", "delete");

  private final WebhookReceiver receiver;

  public GitHubWebhookHandler(WebhookReceiver receiver) {
    this.receiver = Objects.requireNonNull(receiver, "receiver");
  }

  @Override
  public void handle(Context ctx) {
    String deliveryId = ctx.header("X-GitHub-Delivery");
    Optional<JsonNode> payload =
        receiver.verify(
            ctx,
            deliveryId,
            new WebhookReceiver.Proof.Signature(ctx.header("X-Hub-Signature-256")));
    if (payload.isEmpty()) {
      return;
    }
    String event = Objects.requireNonNullElse(ctx.header("X-GitHub-Event"), "");
    JsonNode repository = payload.get().path("repository");
    List<String> urls =
        WebhookReceiver.texts(repository, "clone_url", "html_url", "ssh_url", "git_url", "url");
    if (event.equals("ping")) {
      receiver.reply(
          ctx,
          200,
          new WebhookReply("pong", "the signature is valid; Tagflow receives this hook", urls));
      return;
    }
    if (!REF_EVENTS.contains(event)) {
      receiver.reply(
          ctx,
          202,
          WebhookReply.ignored(
              "event '" + event + "' moves no ref; subscribe the hook to push events only"));
      return;
    }
    String ref = payload.get().path("ref").asString("");
    receiver.accept(ctx, deliveryId, event, ref, urls);
  }
}
