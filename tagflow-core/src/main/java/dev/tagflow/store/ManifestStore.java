package dev.tagflow.store;

import java.time.Instant;
import java.util.Optional;

/**
 * Rendered manifests, content-addressed: the same bytes are stored once, under their SHA-256.
 *
 * <p>Manifests live as long as a history entry uses them: pruning history removes those no entry
 * uses any more. Manifests put and never recorded in history are removed by {@link
 * #collectGarbage(Instant)}.
 */
public interface ManifestStore {

  /** Stores the bytes (once, however often they are put); answers their SHA-256, lowercase hex. */
  String put(byte[] manifests);

  Optional<byte[]> get(String hash);

  boolean contains(String hash);

  /**
   * Removes the manifests no history entry uses that were last put before {@code putBefore}; the
   * bound spares manifests put for a history entry that is about to be recorded.
   *
   * @return how many were removed
   */
  int collectGarbage(Instant putBefore);
}
