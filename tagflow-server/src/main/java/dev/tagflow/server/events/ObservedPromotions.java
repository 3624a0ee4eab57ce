package dev.tagflow.server.events;

import dev.tagflow.store.PromotionDraft;
import dev.tagflow.store.PromotionRecord;
import dev.tagflow.store.PromotionRecord.PromotionState;
import dev.tagflow.store.PromotionStore;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store of promotion requests, telling listeners of each request created (an approval is asked
 * for). A listener's failure is logged; the request stands.
 */
public final class ObservedPromotions implements PromotionStore {

  private static final Logger log = LoggerFactory.getLogger(ObservedPromotions.class);

  private final PromotionStore store;
  private final List<Consumer<PromotionRecord>> created;

  public ObservedPromotions(PromotionStore store, List<Consumer<PromotionRecord>> created) {
    this.store = Objects.requireNonNull(store, "store");
    this.created = List.copyOf(created);
  }

  @Override
  public PromotionRecord create(PromotionDraft draft) {
    PromotionRecord record = store.create(draft);
    for (Consumer<PromotionRecord> listener : created) {
      try {
        listener.accept(record);
      } catch (RuntimeException e) {
        log.error("promotion={}: a listener of new requests failed", record.id(), e);
      }
    }
    return record;
  }

  @Override
  public Optional<PromotionRecord> get(long id) {
    return store.get(id);
  }

  @Override
  public List<PromotionRecord> list(Optional<PromotionState> state) {
    return store.list(state);
  }

  @Override
  public PromotionRecord approve(long id, PromotionRecord.Approval approval) {
    return store.approve(id, approval);
  }

  @Override
  public Optional<PromotionRecord> transition(
      long id,
      PromotionState from,
      PromotionState to,
      String message,
      Optional<String> mergedCommit) {
    return store.transition(id, from, to, message, mergedCommit);
  }
}
