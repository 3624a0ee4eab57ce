package dev.tagflow.server.pipeline;

import dev.tagflow.secret.ResolvedSecrets;
import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;

/** Where a server run's secrets come from: the secret scopes of the repository it runs for. */
@FunctionalInterface
public interface RunSecrets {

  /** No secrets anywhere: every name reads as the empty string. */
  RunSecrets NONE = (url, names) -> new ResolvedSecrets(Map.of(), new TreeSet<>(names));

  /**
   * The values of {@code names} for a run of the repository at {@code repositoryUrl}, and only
   * those; the names no scope holds are {@link ResolvedSecrets#missing()}.
   *
   * @throws dev.tagflow.TagflowException when a stored value cannot be opened
   */
  ResolvedSecrets resolve(String repositoryUrl, Collection<String> names);
}
