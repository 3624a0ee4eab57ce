package dev.tagflow.server.events;

import dev.tagflow.store.PromotionDraft;
import java.util.List;
import java.util.Optional;

/** A promotion of web 1.2.3 to production, as tests need one. */
public final class PromotionDrafts {

  private PromotionDrafts() {}

  public static PromotionDraft web123(String environments, int approvals, List<String> roles) {
    return new PromotionDraft(
        environments,
        "production",
        "web",
        "http://127.0.0.1:7070/git/acme/web.git",
        "1.2.3",
        "0123456789abcdef0123",
        Optional.empty(),
        Optional.empty(),
        Optional.of("alice"),
        List.of(new PromotionDraft.Change("image.tag", "1.2.3")),
        "main",
        "tagflow/promote/production/web-1.2.3",
        "abcdef",
        approvals,
        roles);
  }
}
