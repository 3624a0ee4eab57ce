/**
 * GitHub and GitLab webhooks: {@code POST /api/webhooks/github} and {@code /gitlab}.
 *
 * <p>A delivery only ever triggers a comparison of all refs of a repository Tagflow follows ({@link
 * dev.tagflow.server.webhook.RepositoryUrls} matches the payload's URLs in any form); it never says
 * itself which refs moved. {@link dev.tagflow.server.webhook.WebhookReceiver} checks every delivery
 * the same way: a secret is configured ({@link dev.tagflow.server.webhook.WebhookSecret}), the
 * proof in the headers is there and well formed (refused before a byte of the body is read), the
 * body is read as it arrives under {@link dev.tagflow.server.webhook.WebhookBodies}' limits (25 MB
 * each, four at once for the server, 503 beyond) with GitHub's HMAC computed on the way, the
 * payload is JSON, and the delivery id is new ({@link
 * dev.tagflow.server.webhook.RecentDeliveries}). Each refusal is a {@link
 * dev.tagflow.server.webhook.Rejection} with its status and fix; each answer a {@link
 * dev.tagflow.server.webhook.WebhookReply}, credentials redacted.
 */
package dev.tagflow.server.webhook;
