package dev.tagflow.cli;

import dev.tagflow.UrlRedaction;
import dev.tagflow.server.config.ServerSettings;
import dev.tagflow.server.config.ServerSettings.Repository;
import dev.tagflow.server.config.SettingsChange;
import dev.tagflow.server.config.SettingsListener;
import dev.tagflow.server.repository.AddedRepositories;
import dev.tagflow.source.RepoCredentials;
import dev.tagflow.source.RepoRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The repositories {@code tagflow server} follows (polls, and accepts webhooks for): those of
 * {@code tagflow repo add}, or, with {@code --config}, those of the settings file. Never both: a
 * server run from a file runs from that file alone. Either way, the repositories added over the API
 * ({@code POST /api/v1/repositories}, kept in the store) are followed too ({@link WithAdded}).
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

  /**
   * Whether {@link #pollIntervals} are the user's choice (the settings file's); otherwise the
   * server polls every repository at its {@code --poll-interval}.
   */
  default boolean ownIntervals() {
    return false;
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
    public boolean ownIntervals() {
      return true;
    }

    @Override
    public void settingsChanged(SettingsChange change) {
      repositories = change.current().repositories();
    }
  }

  /**
   * Those of {@code base} and those added over the API (read from the store at each use, so an add
   * needs no restart), polled every {@code pollEvery}; a URL {@code base} has keeps its entry.
   */
  record WithAdded(FollowedRepositories base, AddedRepositories added, Duration pollEvery)
      implements FollowedRepositories {
    public WithAdded {
      Objects.requireNonNull(base, "base");
      Objects.requireNonNull(added, "added");
      Objects.requireNonNull(pollEvery, "pollEvery");
    }

    @Override
    public List<Repository> list() {
      List<Repository> all = new ArrayList<>(base.list());
      Set<String> urls = new HashSet<>(base.urls());
      added.followed(pollEvery).stream().filter(r -> urls.add(r.url())).forEach(all::add);
      return all;
    }

    @Override
    public boolean ownIntervals() {
      return base.ownIntervals();
    }
  }
}
