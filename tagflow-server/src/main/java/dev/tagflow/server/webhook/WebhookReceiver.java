package dev.tagflow.server.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tagflow.UrlRedaction;
import dev.tagflow.server.events.TriggeredRefSource;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every webhook provider shares once its own check passed: forgetting replays, finding the
 * tracked repository, triggering a refresh of its refs, counting, and answering.
 */
public final class WebhookReceiver {

  private static final Logger log = LoggerFactory.getLogger(WebhookReceiver.class);

  private final String provider;
  private final Optional<WebhookSecret> secret;
  private final RecentDeliveries deliveries;
  private final RepositoryUrls repositories;
  private final TriggeredRefSource source;
  private final ObjectMapper json;
  private final MeterRegistry meters;

  /**
   * @param provider {@code github} or {@code gitlab}, for answers, logs and meter tags
   * @param secret the shared secret; without one every delivery is refused
   * @param source the event source whose refreshes the deliveries trigger
   */
  public WebhookReceiver(
      String provider,
      Optional<WebhookSecret> secret,
      RecentDeliveries deliveries,
      RepositoryUrls repositories,
      TriggeredRefSource source,
      ObjectMapper json,
      MeterRegistry meters) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.secret = Objects.requireNonNull(secret, "secret");
    this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
    this.repositories = Objects.requireNonNull(repositories, "repositories");
    this.source = Objects.requireNonNull(source, "source");
    this.json = Objects.requireNonNull(json, "json");
    this.meters = Objects.requireNonNull(meters, "meters");
  }

  /**
   * The checks every delivery passes before anything happens: a secret is configured, {@code
   * authentic} finds nothing wrong with the delivery under it, the body is a JSON payload, and the
   * delivery id is new. Returns the payload, or empty when the delivery has been answered already.
   *
   * @param authentic the provider's own check (signature, token): a rejection, or empty if fine
   */
  Optional<JsonNode> verify(
      Context ctx, String deliveryId, Function<WebhookSecret, Optional<Rejection>> authentic) {
    Optional<Rejection> rejection =
        secret.isEmpty() ? Optional.of(Rejection.WEBHOOKS_DISABLED) : authentic.apply(secret.get());
    if (rejection.isPresent()) {
      reject(ctx, rejection.get(), deliveryId);
      return Optional.empty();
    }
    Optional<JsonNode> payload = payload(ctx);
    if (payload.isEmpty()) {
      reject(ctx, Rejection.MALFORMED_PAYLOAD, deliveryId);
      return Optional.empty();
    }
    if (deliveryId != null && !deliveries.firstSeen(deliveryId)) {
      reply(
          ctx,
          200,
          WebhookReply.ignored("delivery " + deliveryId + " was already received; ignored"));
      return Optional.empty();
    }
    return payload;
  }

  /** Refuses the delivery: answers the error and counts it; nothing else happens. */
  private void reject(Context ctx, Rejection rejection, String deliveryId) {
    Counter.builder("tagflow.webhook.rejections")
        .description("Webhook deliveries refused, per provider and reason")
        .tag("provider", provider)
        .tag("reason", rejection.code())
        .register(meters)
        .increment();
    log.warn("{} webhook delivery {} refused: {}", provider, deliveryId, rejection.code());
    ctx.status(rejection.status()).json(rejection.toError());
  }

  /** Answers a verified delivery and counts it by outcome. */
  void reply(Context ctx, int status, WebhookReply reply) {
    Counter.builder("tagflow.webhook.deliveries")
        .description("Verified webhook deliveries, per provider and outcome")
        .tag("provider", provider)
        .tag("outcome", reply.status())
        .register(meters)
        .increment();
    ctx.status(status).json(reply);
  }

  /**
   * Parses the body as JSON; GitHub's form encoding carries the same JSON in a {@code payload}
   * field.
   */
  private Optional<JsonNode> payload(Context ctx) {
    String body = ctx.body();
    String contentType = Objects.requireNonNullElse(ctx.contentType(), "");
    if (contentType.startsWith("application/x-www-form-urlencoded")) {
      body = formField(body, "payload").orElse("");
    }
    try {
      JsonNode node = json.readTree(body);
      return node == null || !node.isObject() ? Optional.empty() : Optional.of(node);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Triggers a refresh of every tracked repository the payload's URLs name, and answers. */
  void accept(Context ctx, String deliveryId, String event, String ref, List<String> urls) {
    List<String> matched = repositories.matching(urls);
    if (matched.isEmpty()) {
      log.info(
          "{} webhook delivery {}: {} for untracked repository {}, ignored",
          provider,
          deliveryId,
          event,
          urls.isEmpty() ? "(none named)" : UrlRedaction.redact(urls.getFirst()));
      // 202, not 404: an organization-wide hook sends every repository's pushes, and a 4xx would
      // mark each one as a failed delivery on the Git host.
      reply(
          ctx,
          202,
          WebhookReply.ignored(
              "no tracked repository matches "
                  + (urls.isEmpty() ? "the payload" : String.join(", ", urls))
                  + "; add it with 'tagflow repo add <url>' to follow it"));
      return;
    }
    for (String repository : matched) {
      log.info(
          "{} webhook delivery {}: {} {} {}, comparing all refs",
          provider,
          deliveryId,
          event,
          UrlRedaction.redact(repository),
          ref);
      source.trigger(repository);
    }
    reply(ctx, 202, WebhookReply.accepted(matched));
  }

  /** The text values of {@code fields} in {@code node}, skipping absent ones. */
  static List<String> texts(JsonNode node, String... fields) {
    if (node == null) {
      return List.of();
    }
    return Arrays.stream(fields)
        .map(node::path)
        .filter(JsonNode::isTextual)
        .map(JsonNode::asText)
        .filter(text -> !text.isBlank())
        .toList();
  }

  private static Optional<String> formField(String body, String name) {
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
        return Optional.of(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return Optional.empty();
  }
}
