package dev.tagflow.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.TagflowException;
import dev.tagflow.reconcile.ApplicationStatus.GitRevision;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.store.Store;
import dev.tagflow.store.StoreOptions;
import dev.tagflow.store.SyncTrigger;
import dev.tagflow.store.jdbc.JdbcStore;
import dev.tagflow.sync.SyncState;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperationCheckpointsTest {

  @TempDir Path data;

  @Test
  void aSavedStateReadsBackThroughTheEnginesJson() {
    try (Store store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(data)))) {
      OperationCheckpoints checkpoints =
          new OperationCheckpoints(store.operations(), Optional.of(SyncStateCodec.json()));
      SyncState state = SyncState.start("web", "main (abc)");

      checkpoints.save("web", checkpoint(Optional.of(state)));

      assertThat(checkpoints.interrupted("web").orElseThrow().state()).contains(state);
    }
  }

  @Test
  void aStateThatCannotBeReadLeavesTheCheckpointWithoutOneSoTheSyncIsMarkedFailed() {
    try (Store store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(data)))) {
      new OperationCheckpoints(store.operations(), Optional.of(SyncStateCodec.json()))
          .save("web", checkpoint(Optional.of(SyncState.start("web", "main (abc)"))));
      SyncStateCodec newerFormat =
          new SyncStateCodec() {
            @Override
            public byte[] encode(SyncState state) {
              throw new UnsupportedOperationException("not used");
            }

            @Override
            public SyncState decode(byte[] bytes) {
              throw TagflowException.invalidInput("a saved sync state of version 2 is not known");
            }
          };

      Optional<OperationCheckpoints.Checkpoint> read =
          new OperationCheckpoints(store.operations(), Optional.of(newerFormat)).interrupted("web");

      assertThat(read).isPresent();
      assertThat(read.get().historyId()).isEqualTo(7);
      assertThat(read.get().state()).isEmpty();
    }
  }

  private static OperationCheckpoints.Checkpoint checkpoint(Optional<SyncState> state) {
    return new OperationCheckpoints.Checkpoint(
        7, SyncTrigger.AUTOMATION, new GitRevision("main", "abc"), "key", Optional.empty(), state);
  }
}
