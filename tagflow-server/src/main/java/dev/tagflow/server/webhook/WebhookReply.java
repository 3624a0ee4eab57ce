package dev.tagflow.server.webhook;

import java.util.List;

/**
 * The answer to a webhook delivery that was verified.
 *
 * @param status {@code accepted}, {@code pong}, {@code duplicate} or {@code ignored}
 * @param message what Tagflow did with it, for the person reading the delivery log
 * @param repositories the tracked repositories whose refs will be compared
 */
public record WebhookReply(String status, String message, List<String> repositories) {

  static WebhookReply accepted(List<String> repositories) {
    return new WebhookReply(
        "accepted", "all refs of the repository will be compared with the last seen", repositories);
  }

  static WebhookReply ignored(String message) {
    return new WebhookReply("ignored", message, List.of());
  }
}
