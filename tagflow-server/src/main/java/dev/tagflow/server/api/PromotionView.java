package dev.tagflow.server.api;

import dev.tagflow.store.PromotionRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A promotion request as the API and {@code tagflow approvals -o json} show it; the repository's
 * URL never with credentials.
 */
public final class PromotionView {

  private PromotionView() {}

  /** The request with its draft, approvals and state. */
  public static Map<String, Object> json(PromotionRecord r) {
    var d = r.draft();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", r.id());
    json.put("state", r.state().displayName());
    json.put("repository", dev.tagflow.UrlRedaction.redact(d.repository()));
    json.put("environment", d.environment());
    json.put("release", d.release());
    json.put("source", d.source());
    json.put("version", d.version());
    json.put("commit", d.commit());
    json.put("image", d.image().orElse(null));
    json.put("digest", d.digest().orElse(null));
    json.put("author", d.author().orElse(null));
    Map<String, String> values = new LinkedHashMap<>();
    d.changes().forEach(c -> values.put(c.path(), c.value()));
    json.put("values", values);
    json.put("targetBranch", d.targetBranch());
    json.put("promotionBranch", d.promotionBranch());
    json.put("requiredApprovals", d.requiredApprovals());
    json.put("roles", d.roles());
    json.put(
        "approvals",
        r.approvals().stream()
            .map(
                a -> {
                  Map<String, Object> approval = new LinkedHashMap<>();
                  approval.put("approver", a.approver());
                  approval.put("role", a.role().orElse(""));
                  approval.put("at", a.at().toString());
                  return approval;
                })
            .toList());
    json.put("message", r.message());
    json.put("mergedCommit", r.mergedCommit().orElse(null));
    json.put("createdAt", r.createdAt().toString());
    json.put("updatedAt", r.updatedAt().toString());
    return json;
  }
}
