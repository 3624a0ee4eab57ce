package dev.tagflow.server.webhook;

import dev.tagflow.UrlRedaction;
import java.util.List;

/**
 * The answer to a webhook delivery that was verified.
 *
 * @param status {@code accepted}, {@code pong}, {@code duplicate} or {@code ignored}
 * @param message what Tagflow did with it, for the person reading the delivery log
 * @param repositories the tracked repositories whose refs will be compared
 */
public record WebhookReply(String status, String message, List<String> repositories) {

  /**
   * Git hosts show reply bodies in their delivery logs, to whoever may see the hook: the URLs in a
   * reply lose their credentials here, whichever answer carries them.
   */
  public WebhookReply {
    message = UrlRedaction.redact(message);
    repositories = repositories.stream().map(UrlRedaction::redact).toList();
  }

  static WebhookReply accepted(List<String> repositories) {
    return new WebhookReply(
        "accepted", "all refs of the repository will be compared with the last seen", repositories);
  }

  static WebhookReply ignored(String message) {
    return new WebhookReply("ignored", message, List.of());
  }
}
