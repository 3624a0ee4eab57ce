package dev.tagflow.reconcile;

import dev.tagflow.PlainJson;
import dev.tagflow.TagflowException;
import dev.tagflow.reconcile.ApplicationStatus.GitRevision;
import dev.tagflow.store.OperationStore;
import dev.tagflow.store.SyncTrigger;
import dev.tagflow.sync.SyncState;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

/**
 * The one place running syncs are saved to the store's {@link OperationStore}: after every step,
 * what the sync is (history entry, trigger, revision, render key) and, when a {@link
 * SyncStateCodec} is given, its {@link SyncState}; cleared when it ends.
 *
 * <p>After a restart the application's first reconcile finds the checkpoint: with the state, the
 * sync resumes from it; without (no codec), the history entry is marked failed with the reason and
 * the next reconcile decides again.
 */
final class OperationCheckpoints {

  private static final Logger log = LoggerFactory.getLogger(OperationCheckpoints.class);

  /** A saved sync. */
  record Checkpoint(
      long historyId,
      SyncTrigger trigger,
      GitRevision revision,
      String renderKey,
      Optional<Long> rollbackOf,
      Optional<SyncState> state) {}

  private final OperationStore store;
  private final Optional<SyncStateCodec> codec;

  OperationCheckpoints(OperationStore store, Optional<SyncStateCodec> codec) {
    this.store = store;
    this.codec = codec;
  }

  /**
   * Saves the sync after a step. A store that refuses is logged, not thrown: the sync goes on, and
   * only a crash before the next save would lose this step's checkpoint.
   */
  void save(String application, Checkpoint checkpoint) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("historyId", checkpoint.historyId());
    root.put("trigger", checkpoint.trigger().name());
    root.put("requested", checkpoint.revision().requested());
    root.put("commit", checkpoint.revision().commit());
    root.put("renderKey", checkpoint.renderKey());
    checkpoint.rollbackOf().ifPresent(id -> root.put("rollbackOf", id));
    if (codec.isPresent() && checkpoint.state().isPresent()) {
      root.put(
          "state",
          Base64.getEncoder().encodeToString(codec.get().encode(checkpoint.state().get())));
    }
    try {
      store.save(application, PlainJson.MAPPER.writeValueAsBytes(root));
    } catch (JacksonException | TagflowException e) {
      log.error(
          "application={} could not save its sync's checkpoint: {}", application, e.getMessage());
    }
  }

  void clear(String application) {
    try {
      store.clear(application);
    } catch (TagflowException e) {
      log.error(
          "application={} could not clear its sync's checkpoint: {}", application, e.getMessage());
    }
  }

  /**
   * The sync the application was running when the process stopped, if any.
   *
   * @throws TagflowException when the store cannot be read
   */
  Optional<Checkpoint> interrupted(String application) {
    return store.load(application).map(op -> read(application, op.state()));
  }

  private Checkpoint read(String application, byte[] bytes) {
    Map<?, ?> root;
    try {
      root = PlainJson.MAPPER.readValue(bytes, Map.class);
    } catch (JacksonException e) {
      throw TagflowException.failed("a saved sync is not JSON: " + e.getMessage(), e);
    }
    Optional<SyncState> state = Optional.empty();
    if (codec.isPresent() && root.get("state") instanceof String encoded) {
      try {
        state = Optional.of(codec.get().decode(Base64.getDecoder().decode(encoded)));
      } catch (TagflowException | IllegalArgumentException unreadable) {
        // Written by another version, or damaged: the sync is marked interrupted, not retried
        // from a state nobody can trust.
        log.warn(
            "application={} the saved state of its interrupted sync cannot be read ({}); it is"
                + " marked failed",
            application,
            unreadable.getMessage());
      }
    }
    return new Checkpoint(
        ((Number) root.get("historyId")).longValue(),
        SyncTrigger.valueOf(String.valueOf(root.get("trigger"))),
        new GitRevision(String.valueOf(root.get("requested")), String.valueOf(root.get("commit"))),
        String.valueOf(root.get("renderKey")),
        root.get("rollbackOf") instanceof Number n ? Optional.of(n.longValue()) : Optional.empty(),
        state);
  }
}
