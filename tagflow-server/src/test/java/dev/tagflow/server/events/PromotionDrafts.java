package dev.tagflow.server.events;

import dev.tagflow.store.PromotionDraft;
import java.util.List;
import java.util.Optional;

/** A promotion of web 1.2.3 to production, as tests need one. */
public final class PromotionDrafts {

  private PromotionDrafts() {}

  /** Web 1.2.3 into {@code environment} of the environment repository {@code repository}. */
  public static PromotionDraft web123Into(String repository, String environment) {
    PromotionDraft web = web123(repository, 1, List.of());
    return new PromotionDraft(
        repository,
        environment,
        web.release(),
        web.source(),
        web.version(),
        web.commit(),
        web.image(),
        web.digest(),
        web.author(),
        web.changes(),
        web.targetBranch(),
        "tagflow/promote/" + environment + "/web-1.2.3",
        web.headCommit(),
        web.requiredApprovals(),
        web.roles());
  }

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
