package dev.tagflow.server.webhook;

import dev.tagflow.UrlRedaction;
import dev.tagflow.server.events.TriggeredRefSource;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * What every webhook provider shares once its own check passed: forgetting replays, finding the
 * tracked repository, triggering a refresh of its refs, counting, and answering.
 */
public final class WebhookReceiver {

  private static final Logger log = LoggerFactory.getLogger(WebhookReceiver.class);

  private final String provider;
  private final Optional<WebhookSecret> secret;
  private final WebhookBodies bodies;
  private final RecentDeliveries deliveries;
  private final RepositoryUrls repositories;
  private final TriggeredRefSource source;
  private final ObjectMapper json;
  private final MeterRegistry meters;

  /**
   * @param provider {@code github} or {@code gitlab}, for answers, logs and meter tags
   * @param secret the shared secret; without one every delivery is refused
   * @param bodies the limits on reading bodies, shared by every provider of the server
   * @param source the event source whose refreshes the deliveries trigger
   */
  public WebhookReceiver(
      String provider,
      Optional<WebhookSecret> secret,
      WebhookBodies bodies,
      RecentDeliveries deliveries,
      RepositoryUrls repositories,
      TriggeredRefSource source,
      ObjectMapper json,
      MeterRegistry meters) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.secret = Objects.requireNonNull(secret, "secret");
    this.bodies = Objects.requireNonNull(bodies, "bodies");
    this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
    this.repositories = Objects.requireNonNull(repositories, "repositories");
    this.source = Objects.requireNonNull(source, "source");
    this.json = Objects.requireNonNull(json, "json");
    this.meters = Objects.requireNonNull(meters, "meters");
  }

  /**
   * How a provider proves a delivery is authentic: GitLab sends the secret as a header, checked
   * before the body is read; GitHub signs the body, whose HMAC is computed while it arrives.
   */
  sealed interface Proof {
    /** GitLab's {@code X-Gitlab-Token}, or null when absent. */
    record Token(String header) implements Proof {}

    /** GitHub's {@code X-Hub-Signature-256}, or null when absent. */
    record Signature(String header) implements Proof {}
  }

  /**
   * The checks every delivery passes before anything happens: a secret is configured, the proof's
   * header is there and well formed, the body fits the limits and, for a signature, is signed with
   * the secret, the body is a JSON payload, and the delivery id is new. What can be checked from
   * the headers is checked before a byte of the body is read. Returns the payload, or empty when
   * the delivery has been answered already.
   */
  Optional<JsonNode> verify(Context ctx, String deliveryId, Proof proof) {
    if (secret.isEmpty()) {
      reject(ctx, Rejection.WEBHOOKS_DISABLED, deliveryId);
      return Optional.empty();
    }
    Optional<byte[]> expectedSignature = Optional.empty();
    switch (proof) {
      case Proof.Token token -> {
        if (token.header() == null || token.header().isEmpty()) {
          reject(ctx, Rejection.MISSING_TOKEN, deliveryId);
          return Optional.empty();
        }
        if (!secret.get().matchesToken(token.header())) {
          reject(ctx, Rejection.INVALID_TOKEN, deliveryId);
          return Optional.empty();
        }
      }
      case Proof.Signature signature -> {
        if (signature.header() == null || signature.header().isBlank()) {
          reject(ctx, Rejection.MISSING_SIGNATURE, deliveryId);
          return Optional.empty();
        }
        expectedSignature = WebhookSecret.parseSignature(signature.header());
        if (expectedSignature.isEmpty()) {
          reject(ctx, Rejection.INVALID_SIGNATURE, deliveryId);
          return Optional.empty();
        }
      }
    }
    Optional<Mac> mac = expectedSignature.map(given -> secret.get().newMac());
    Optional<byte[]> expected = expectedSignature;
    InputStream in;
    try {
      in = ctx.req().getInputStream();
    } catch (IOException e) {
      reject(ctx, Rejection.BROKEN_BODY, deliveryId);
      return Optional.empty();
    }
    Optional<JsonNode> payload =
        bodies.read(
            in,
            ctx.req().getContentLengthLong(),
            mac,
            outcome -> checkedPayload(ctx, deliveryId, outcome, expected));
    if (payload.isEmpty()) {
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

  /** The payload of a body read in full and signed as expected; otherwise answers and is empty. */
  private Optional<JsonNode> checkedPayload(
      Context ctx, String deliveryId, WebhookBodies.Outcome outcome, Optional<byte[]> expected) {
    switch (outcome) {
      case WebhookBodies.Outcome.Busy busy -> {
        // Retry-After for senders that honour it; GitHub does not retry, so polling catches up.
        ctx.header("Retry-After", "5");
        reject(ctx, Rejection.BUSY, deliveryId);
        return Optional.empty();
      }
      case WebhookBodies.Outcome.TooLarge tooLarge -> {
        reject(ctx, Rejection.TOO_LARGE, deliveryId);
        return Optional.empty();
      }
      case WebhookBodies.Outcome.Broken broken -> {
        log.info("{} webhook delivery {}: body not received: {}", provider, deliveryId, broken);
        reject(ctx, Rejection.BROKEN_BODY, deliveryId);
        return Optional.empty();
      }
      case WebhookBodies.Outcome.Read read -> {
        if (expected.isPresent()
            && !MessageDigest.isEqual(read.hmac().orElseThrow(), expected.get())) {
          reject(ctx, Rejection.INVALID_SIGNATURE, deliveryId);
          return Optional.empty();
        }
        Optional<JsonNode> payload = payload(ctx, read);
        if (payload.isEmpty()) {
          reject(ctx, Rejection.MALFORMED_PAYLOAD, deliveryId);
        }
        return payload;
      }
    }
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
   * Parses the body as JSON, straight from its chunks; GitHub's form encoding carries the same JSON
   * in a {@code payload} field.
   */
  private Optional<JsonNode> payload(Context ctx, WebhookBodies.Outcome.Read body) {
    String contentType = Objects.requireNonNullElse(ctx.contentType(), "");
    try {
      JsonNode node;
      if (contentType.startsWith("application/x-www-form-urlencoded")) {
        String form = new String(body.stream().readAllBytes(), StandardCharsets.UTF_8);
        node = json.readTree(formField(form, "payload").orElse(""));
      } else {
        node = json.readTree(body.stream());
      }
      return node == null || !node.isObject() ? Optional.empty() : Optional.of(node);
    } catch (IOException | JacksonException | IllegalArgumentException malformed) {
      // IllegalArgumentException: a form field with a broken %-escape.
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
                  + "; follow it with 'tagflow repo add <url>', or under repositories: in the"
                  + " server's settings file"));
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
        .filter(JsonNode::isString)
        .map(JsonNode::stringValue)
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
