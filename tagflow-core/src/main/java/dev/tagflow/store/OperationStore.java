package dev.tagflow.store;

import java.util.List;
import java.util.Optional;

/**
 * The state of each sync operation in flight, saved after every step, so that after a crash the
 * operation is resumed from where it was (or marked failed with the reason).
 */
public interface OperationStore {

  /** Saves the application's operation state, replacing the last one. */
  void save(String application, byte[] state);

  Optional<InFlightOperation> load(String application);

  /** Forgets the application's operation once it has ended; whether there was one. */
  boolean clear(String application);

  /** Every operation in flight, by application name: what to resume at start. */
  List<InFlightOperation> inFlight();
}
