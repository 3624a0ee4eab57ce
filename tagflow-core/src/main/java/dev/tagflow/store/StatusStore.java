package dev.tagflow.store;

import java.util.List;
import java.util.Optional;

/** The controller's status per application, one JSON document each. */
public interface StatusStore {

  /** Writes the application's status, replacing the last one; answers what was stored. */
  StatusSnapshot put(String application, int formatVersion, String json);

  Optional<StatusSnapshot> get(String application);

  /** Every application's status, by application name. */
  List<StatusSnapshot> all();

  /** Removes the application's status; whether there was one. */
  boolean delete(String application);
}
