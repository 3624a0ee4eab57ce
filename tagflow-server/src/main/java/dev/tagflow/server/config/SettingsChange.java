package dev.tagflow.server.config;

import dev.tagflow.server.config.ServerSettings.ApplicationFiles;
import dev.tagflow.server.config.ServerSettings.Cluster;
import dev.tagflow.server.config.ServerSettings.Project;
import dev.tagflow.server.config.ServerSettings.Repository;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The running settings and the valid new ones a reload found, with what differs between them, for
 * the parts of the server that follow the settings ({@link SettingsListener}).
 */
public record SettingsChange(ServerSettings previous, ServerSettings current) {

  public SettingsChange {
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(current, "current");
  }

  /**
   * What differs in a list of named things.
   *
   * @param added in the new settings only
   * @param removed in the old settings only
   * @param changed in both, under one name, differently (the new version)
   */
  public record Delta<T>(List<T> added, List<T> removed, List<T> changed) {
    public Delta {
      added = List.copyOf(added);
      removed = List.copyOf(removed);
      changed = List.copyOf(changed);
    }

    public boolean isEmpty() {
      return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
    }
  }

  /** Repositories by name: a changed one has another URL, credentials or poll interval. */
  public Delta<Repository> repositories() {
    return delta(previous.repositories(), current.repositories(), Repository::name);
  }

  /** Clusters by name: a changed one has another kubeconfig or context. */
  public Delta<Cluster> clusters() {
    return delta(previous.clusters(), current.clusters(), Cluster::name);
  }

  /** Folders of Application files: each is itself its key, so one is added or removed. */
  public Delta<ApplicationFiles> applications() {
    return delta(previous.applications(), current.applications(), Function.identity());
  }

  /** Projects by name: a changed one has other destinations or health rules. */
  public Delta<Project> projects() {
    return delta(previous.projects(), current.projects(), Project::name);
  }

  public boolean reconcileChanged() {
    return !previous.reconcile().equals(current.reconcile());
  }

  /** Whether the {@code rbac.policy} lines changed. */
  public boolean policyChanged() {
    return !previous.security().policy().equals(current.security().policy());
  }

  /** Whether anything a running server follows changed (the rest needs a restart). */
  public boolean isEmpty() {
    return repositories().isEmpty()
        && clusters().isEmpty()
        && applications().isEmpty()
        && projects().isEmpty()
        && !reconcileChanged()
        && !policyChanged();
  }

  /** What changed, for a log line: {@code repositories +web -old ~envs; reconcile}. */
  public String summary() {
    List<String> parts = new ArrayList<>();
    describe(parts, "repositories", repositories(), Repository::name);
    describe(parts, "clusters", clusters(), Cluster::name);
    describe(
        parts,
        "applications",
        applications(),
        a -> a.repository() + ":" + a.path() + "@" + a.revision());
    describe(parts, "projects", projects(), Project::name);
    if (reconcileChanged()) {
      ServerSettings.Reconcile r = current.reconcile();
      parts.add(
          "reconcile {interval: "
              + go(r.interval())
              + ", concurrency: "
              + r.concurrency()
              + ", selfHealGrace: "
              + go(r.selfHealGrace())
              + "}");
    }
    if (policyChanged()) {
      parts.add("rbac.policy");
    }
    return parts.isEmpty() ? "nothing the running server follows" : String.join("; ", parts);
  }

  /** A duration as the file writes it: 3m, 1h30m, 0.5s. */
  private static String go(Duration duration) {
    return duration.toString().substring(2).toLowerCase(Locale.ROOT);
  }

  private static <T> void describe(
      List<String> parts, String what, Delta<T> delta, Function<T, String> name) {
    if (delta.isEmpty()) {
      return;
    }
    String names =
        joined("+", delta.added(), name)
            + joined("-", delta.removed(), name)
            + joined("~", delta.changed(), name);
    parts.add(what + names);
  }

  private static <T> String joined(String mark, List<T> items, Function<T, String> name) {
    return items.stream().map(i -> " " + mark + name.apply(i)).collect(Collectors.joining());
  }

  private static <T, K> Delta<T> delta(List<T> before, List<T> after, Function<T, K> key) {
    Map<K, T> old = before.stream().collect(Collectors.toMap(key, Function.identity()));
    Map<K, T> now = after.stream().collect(Collectors.toMap(key, Function.identity()));
    List<T> added = after.stream().filter(t -> !old.containsKey(key.apply(t))).toList();
    List<T> removed = before.stream().filter(t -> !now.containsKey(key.apply(t))).toList();
    List<T> changed =
        after.stream()
            .filter(t -> old.containsKey(key.apply(t)) && !old.get(key.apply(t)).equals(t))
            .toList();
    return new Delta<>(added, removed, changed);
  }
}
