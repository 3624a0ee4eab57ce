package dev.tagflow.server.webhook;

import dev.tagflow.server.ApiError;
import java.util.Locale;

/** Why a webhook delivery was refused; each refusal changes nothing and says how to fix it. */
enum Rejection {
  WEBHOOKS_DISABLED(
      403,
      "no webhook secret is configured, so no delivery can be verified",
      "start the server with --webhook-secret-file <file> holding the secret set in the webhook's"
          + " settings"),
  MISSING_SIGNATURE(
      401,
      "the delivery has no X-Hub-Signature-256 header; Tagflow accepts only signed deliveries",
      "set the secret in the GitHub webhook settings to the one in --webhook-secret-file"),
  INVALID_SIGNATURE(
      401,
      "X-Hub-Signature-256 does not match the body signed with the configured secret",
      "set the same secret in the GitHub webhook settings and in --webhook-secret-file"),
  MISSING_TOKEN(
      401,
      "the delivery has no X-Gitlab-Token header; Tagflow accepts only deliveries with a token",
      "set the secret token in the GitLab webhook settings to the one in --webhook-secret-file"),
  INVALID_TOKEN(
      401,
      "X-Gitlab-Token does not match the configured secret",
      "set the same secret token in the GitLab webhook settings and in --webhook-secret-file"),
  MALFORMED_PAYLOAD(
      400,
      "the body is not a JSON webhook payload",
      "send the payload as JSON (GitHub: content type application/json or"
          + " application/x-www-form-urlencoded)"),
  TOO_LARGE(
      413,
      "the body is larger than 25 MB, the most GitHub sends",
      "send push events only; the refs are compared in full anyway"),
  BUSY(
      503,
      "too many webhook deliveries are being received at once",
      "retry later; polling also finds the change within its interval"),
  BROKEN_BODY(
      400,
      "the body ended before its declared length, or the connection broke",
      "send the delivery again");

  private final int status;
  private final String message;
  private final String fix;

  Rejection(int status, String message, String fix) {
    this.status = status;
    this.message = message;
    this.fix = fix;
  }

  int status() {
    return status;
  }

  /** The code used in answers and as the {@code reason} tag of the rejection meter. */
  String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  ApiError toError() {
    return new ApiError(code(), message, fix);
  }
}
