package dev.tagflow.server.notify;

import dev.tagflow.PlainJson;
import dev.tagflow.server.config.NotificationWebhook.Format;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The body of a notification in a webhook's format. */
final class Payloads {

  /** Slack refuses a section's text beyond 3,000 characters. */
  private static final int SLACK_TEXT_LIMIT = 2_900;

  byte[] body(Format format, Notification notification) {
    ObjectNode body =
        switch (format) {
          case GENERIC -> generic(notification);
          case SLACK -> slack(notification);
        };
    try {
      return PlainJson.MAPPER.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    } catch (JacksonException e) {
      // A tree of strings always serializes.
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code {"event", "application"|"run"|"promotion", "project", "revision", "message", "time",
   * "link"}}; revision and link are null when unknown.
   */
  private ObjectNode generic(Notification n) {
    ObjectNode body = PlainJson.MAPPER.createObjectNode();
    body.put("event", n.event().word());
    body.put(n.subject().kind(), n.subject().name());
    body.put("project", n.project());
    body.put("revision", n.revision().orElse(null));
    body.put("message", n.message());
    body.put("time", n.time().toString());
    body.put("link", n.link().map(Object::toString).orElse(null));
    return body;
  }

  /** {@code text} for notifications and old clients, {@code blocks} for the message itself. */
  private ObjectNode slack(Notification n) {
    String label =
        n.subject().kind().equals("application")
            ? n.subject().name()
            : n.subject().kind() + " " + n.subject().name();
    String what = n.event().word().replace('-', ' ');
    ObjectNode body = PlainJson.MAPPER.createObjectNode();
    body.put("text", label + ": " + what + ": " + n.message());
    ArrayNode blocks = body.putArray("blocks");
    String linked =
        n.link().map(link -> "<" + link + "|" + escape(label) + ">").orElse(escape(label));
    String text = "*" + linked + "*: " + what + "\n" + escape(n.message());
    blocks
        .addObject()
        .put("type", "section")
        .putObject("text")
        .put("type", "mrkdwn")
        .put(
            "text",
            text.length() > SLACK_TEXT_LIMIT ? text.substring(0, SLACK_TEXT_LIMIT) + "…" : text);
    StringBuilder facts = new StringBuilder("project *" + escape(n.project()) + "*");
    n.revision().ifPresent(r -> facts.append(" · revision `").append(escape(r)).append('`'));
    facts.append(" · ").append(n.time());
    blocks
        .addObject()
        .put("type", "context")
        .putArray("elements")
        .addObject()
        .put("type", "mrkdwn")
        .put("text", facts.toString());
    return body;
  }

  /** Slack's mrkdwn reads {@code &}, {@code <} and {@code >} as markup. */
  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
