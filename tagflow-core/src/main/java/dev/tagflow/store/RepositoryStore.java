package dev.tagflow.store;

import java.util.List;
import java.util.Optional;

/** The repositories added over the API (migration V8); never a credential, only secrets' names. */
public interface RepositoryStore {

  /**
   * Adds a repository.
   *
   * @return false, changing nothing, when a repository of that name or URL is stored
   */
  boolean add(AddedRepository repository);

  /** Every added repository, by name. */
  List<AddedRepository> list();

  Optional<AddedRepository> get(String name);

  /**
   * Removes a repository.
   *
   * @return whether there was one
   */
  boolean remove(String name);
}
