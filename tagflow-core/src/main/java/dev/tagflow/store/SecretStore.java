package dev.tagflow.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Secrets as sealed bytes per scope and name. The store never sees a value in clear: the {@code
 * secret} package seals before it writes and opens after it reads.
 */
public interface SecretStore {

  /** Stores the sealed value of a secret, replacing the one of the same scope and name. */
  void put(String scope, String name, byte[] sealed);

  Optional<byte[]> get(String scope, String name);

  /** The sealed values of those names in one scope; names not stored are absent. */
  Map<String, byte[]> getAll(String scope, Collection<String> names);

  /** Every secret's scope, name and update time, by scope then name; never a value. */
  List<StoredSecret> list();

  /**
   * Removes a secret.
   *
   * @return whether there was one
   */
  boolean delete(String scope, String name);
}
