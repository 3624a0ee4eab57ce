package dev.tagflow.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A promotion request as stored: what it proposes, where it stands, and who approved it.
 *
 * @param id counts from 1 across all requests, never reused
 * @param draft what it proposes
 * @param state pending until approved, rejected, merged or superseded
 * @param message who rejected it and why, what superseded it, or what merging it did
 * @param mergedCommit the commit on the target branch that carries it, once merged
 * @param approvals who approved, in order
 */
public record PromotionRecord(
    long id,
    PromotionDraft draft,
    PromotionState state,
    String message,
    Optional<String> mergedCommit,
    List<Approval> approvals,
    Instant createdAt,
    Instant updatedAt) {

  public PromotionRecord {
    Objects.requireNonNull(draft, "draft");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(mergedCommit, "mergedCommit");
    approvals = List.copyOf(approvals);
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** Where a promotion request stands. */
  public enum PromotionState {
    PENDING,
    /** Enough approvals; being merged. */
    APPROVED,
    REJECTED,
    MERGED,
    /** A newer request for the same environment replaced it. */
    SUPERSEDED;

    public boolean isFinal() {
      return this == REJECTED || this == MERGED || this == SUPERSEDED;
    }

    public String displayName() {
      return name().charAt(0) + name().substring(1).toLowerCase();
    }
  }

  /**
   * One approval.
   *
   * @param approver who approved
   * @param role the role they approved in, or empty when the environment asks for none
   */
  public record Approval(String approver, Optional<String> role, Instant at) {
    public Approval {
      Objects.requireNonNull(approver, "approver");
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(at, "at");
    }
  }
}
