package dev.tagflow.server.webhook;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/webhooks/gitlab}: checks {@code X-Gitlab-Token} and turns push and tag-push
 * deliveries into a refresh of all refs of the repository.
 */
public final class GitLabWebhookHandler implements Handler {

  private static final Set<String> REF_EVENTS = Set.of("push", "tag_push");

  private final WebhookReceiver receiver;

  public GitLabWebhookHandler(WebhookReceiver receiver) {
    this.receiver = Objects.requireNonNull(receiver, "receiver");
  }

  @Override
  public void handle(Context ctx) {
    // GitLab names each delivery by a UUID; newer versions also send an idempotency key.
    String deliveryId = ctx.header("X-Gitlab-Event-UUID");
    if (deliveryId == null) {
      deliveryId = ctx.header("Idempotency-Key");
    }
    Optional<JsonNode> payload =
        receiver.verify(
            ctx, deliveryId, new WebhookReceiver.Proof.Token(ctx.header("X-Gitlab-Token")));
    if (payload.isEmpty()) {
      return;
    }
    String kind = payload.get().path("object_kind").asString("");
    if (!REF_EVENTS.contains(kind)) {
      receiver.reply(
          ctx,
          202,
          WebhookReply.ignored(
              "event '" + kind + "' moves no ref; enable only push and tag push events"));
      return;
    }
    List<String> urls = new ArrayList<>();
    urls.addAll(
        WebhookReceiver.texts(
            payload.get().path("project"), "git_http_url", "git_ssh_url", "web_url"));
    urls.addAll(
        WebhookReceiver.texts(
            payload.get().path("repository"), "git_http_url", "git_ssh_url", "homepage", "url"));
    String ref = payload.get().path("ref").asString("");
    receiver.accept(ctx, deliveryId, kind, ref, urls);
  }
}
