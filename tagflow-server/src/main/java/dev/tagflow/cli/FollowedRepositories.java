package dev.tagflow.cli;

import dev.tagflow.UrlRedaction;
import dev.tagflow.server.config.ServerSettings;
import dev.tagflow.server.config.ServerSettings.Repository;
import dev.tagflow.server.config.SettingsChange;
import dev.tagflow.server.config.SettingsListener;
import dev.tagflow.source.RepoCredentials;
import dev.tagflow.source.RepoRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The repositories {@code tagflow server} follows (polls, and accepts webhooks for): those of
 * {@code tagflow repo add}, or, with {@code --config}, those of the settings file. Never both: a
 * server run from a file runs from that file alone, so what it follows can be read in one place.
 */
sealed interface FollowedRepositories {

  /** The repositories now. */
  List<Repository> list();

  default List<String> urls() {
    return list().stream().map(Repository::url).toList();
  }

  /** Each repository's URL and poll interval, for the poller. */
  default Map<String, Duration> pollIntervals() {
    Map<String, Duration> intervals = new LinkedHashMap<>();
    list().forEach(r -> intervals.put(r.url(), r.pollInterval()));
    return intervals;
  }

  /** The credentials of a URL; anonymous for a URL that is not followed. */
  default RepoCredentials credentialsFor(String url) {
    String withoutCredentials = UrlRedaction.redact(url);
    return list().stream()
        .filter(r -> r.url().equals(withoutCredentials))
        .map(r -> r.entry().credentials())
        .findFirst()
        .orElse(new RepoCredentials.None());
  }

  /**
   * {@code repositories.yaml} of the data directory, read at each use so that {@code tagflow repo
   * add} needs no restart; each polled at the default interval.
   */
  record Registered(RepoRegistry registry) implements FollowedRepositories {
    public Registered {
      Objects.requireNonNull(registry, "registry");
    }

    @Override
    public List<Repository> list() {
      return registry.list().stream()
          .map(entry -> new Repository(entry, Repository.DEFAULT_POLL_INTERVAL))
          .toList();
    }
  }

  /** The settings file's repositories, following its changes. */
  final class Configured implements FollowedRepositories, SettingsListener {

    private volatile List<Repository> repositories;

    Configured(ServerSettings initial) {
      this.repositories = initial.repositories();
    }

    @Override
    public List<Repository> list() {
      return repositories;
    }

    @Override
    public void settingsChanged(SettingsChange change) {
      repositories = change.current().repositories();
    }
  }
}
