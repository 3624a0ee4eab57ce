package dev.tagflow.store;

import dev.tagflow.store.PromotionRecord.PromotionState;
import java.util.List;
import java.util.Optional;

/**
 * Promotion requests: promotions that wait for people to approve them. The store keeps their state
 * consistent under concurrent callers (two approvers at once, two promotions of one environment at
 * once); who may approve is the promote package's to decide.
 */
public interface PromotionStore {

  /**
   * Records a new pending request and, in the same transaction, marks the pending requests of the
   * same repository and environment superseded by it.
   */
  PromotionRecord create(PromotionDraft draft);

  Optional<PromotionRecord> get(long id);

  /** The requests, newest first; only those in {@code state} when it is given. */
  List<PromotionRecord> list(Optional<PromotionState> state);

  /**
   * Adds an approval to a pending request.
   *
   * @return the request with the approval
   * @throws dev.tagflow.TagflowException (INVALID_INPUT) when the request does not exist, is not
   *     pending, or the approver already approved it
   */
  PromotionRecord approve(long id, PromotionRecord.Approval approval);

  /**
   * Moves a request from one state to another, only if it is in {@code from} (so of two callers
   * only one merges or rejects it).
   *
   * @return the request in its new state, or empty when it was not in {@code from}
   */
  Optional<PromotionRecord> transition(
      long id,
      PromotionState from,
      PromotionState to,
      String message,
      Optional<String> mergedCommit);
}
