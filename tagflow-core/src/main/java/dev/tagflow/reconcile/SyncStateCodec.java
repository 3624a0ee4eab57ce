package dev.tagflow.reconcile;

import dev.tagflow.sync.SyncState;
import dev.tagflow.sync.SyncStateJson;

/**
 * Turns a {@link SyncState} into bytes and back, so a sync in flight can be resumed after a crash.
 * The controller saves operations through {@link OperationCheckpoints}; with a codec they resume,
 * without one they are marked failed on restart.
 */
public interface SyncStateCodec {

  byte[] encode(SyncState state);

  /**
   * @throws dev.tagflow.TagflowException when the bytes are not a state this codec wrote
   */
  SyncState decode(byte[] bytes);

  /** The sync engine's own durable form, {@link SyncStateJson}: versioned JSON. */
  static SyncStateCodec json() {
    SyncStateJson json = new SyncStateJson();
    return new SyncStateCodec() {
      @Override
      public byte[] encode(SyncState state) {
        return json.write(state);
      }

      @Override
      public SyncState decode(byte[] bytes) {
        return json.read(bytes);
      }
    };
  }
}
