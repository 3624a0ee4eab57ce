package dev.tagflow.server;

import dev.tagflow.TagflowException;
import dev.tagflow.app.Application;
import dev.tagflow.promote.Environment;
import dev.tagflow.promote.EnvironmentPolicy;
import dev.tagflow.promote.PolicyReader;
import dev.tagflow.reconcile.EnvironmentWindows;
import dev.tagflow.schedule.SyncWindows;
import dev.tagflow.server.rbac.ApplicationEnvironment;
import dev.tagflow.source.RepoCache;
import dev.tagflow.source.Revision;
import dev.tagflow.source.TreeReader;
import dev.tagflow.yaml.YamlLimits;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync windows of an application's environment, from the environment policy ({@code
 * environments/policy.yaml}) of the repository the application reads, at the commit its target
 * revision names now (so a commit that changes the windows takes effect as the application follows
 * it). The application's environment is the policy's environment that lists it in {@code
 * applications}, else the one named as {@link ApplicationEnvironment} names it. A repository
 * without the file, or an environment the policy does not have, has no windows; a policy with a
 * mistake, or one that cannot be read, keeps the application's syncs closed until it is fixed (the
 * verdict names file:line:column and what to write).
 */
final class PolicyWindows implements EnvironmentWindows {

  private static final Logger log = LoggerFactory.getLogger(PolicyWindows.class);
  // Policies read, by repository and commit: a commit's policy never changes.
  private static final int CACHED = 64;

  private final RepoCache repos;
  private final PolicyReader reader;
  private final Map<String, Read> cache =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Read> eldest) {
          return size() > CACHED;
        }
      };

  /** A policy read at one commit: the policy, none (no file), or why it cannot be used. */
  private record Read(Optional<EnvironmentPolicy> policy, Optional<String> problem) {}

  PolicyWindows(RepoCache repos, YamlLimits limits) {
    this.repos = repos;
    this.reader = new PolicyReader(limits);
  }

  @Override
  public SyncWindows of(Application application) {
    String url = application.source().repoURL();
    Revision revision;
    try {
      revision = repos.resolve(url, application.source().targetRevision());
    } catch (TagflowException e) {
      return SyncWindows.unreadable(
          "the environment policy of '"
              + application.name()
              + "' cannot be read ("
              + e.getMessage()
              + ")");
    }
    Read read = read(url, revision.commit());
    if (read.problem().isPresent()) {
      return SyncWindows.unreadable(read.problem().get());
    }
    return read.policy()
        .flatMap(policy -> environmentOf(policy, application))
        .map(Environment::windows)
        .orElse(SyncWindows.none());
  }

  private static Optional<Environment> environmentOf(
      EnvironmentPolicy policy, Application application) {
    return policy.environments().stream()
        .filter(e -> e.applications().contains(application.name()))
        .findFirst()
        .or(() -> policy.environment(ApplicationEnvironment.of(application)));
  }

  private Read read(String url, String commit) {
    String key = commit + " " + url;
    synchronized (cache) {
      Read known = cache.get(key);
      if (known != null) {
        return known;
      }
    }
    Read read = readAt(url, commit);
    synchronized (cache) {
      cache.put(key, read);
    }
    return read;
  }

  private Read readAt(String url, String commit) {
    try {
      TreeReader tree = repos.tree(url, commit, "");
      if (!tree.exists(EnvironmentPolicy.PATH)) {
        return new Read(Optional.empty(), Optional.empty());
      }
      return new Read(
          Optional.of(reader.read(EnvironmentPolicy.PATH, tree.readString(EnvironmentPolicy.PATH))),
          Optional.empty());
    } catch (TagflowException e) {
      log.warn(
          "environment policy of {} at {}: its sync windows keep syncs closed: {}",
          dev.tagflow.UrlRedaction.redact(url),
          commit,
          e.getMessage());
      return new Read(Optional.empty(), Optional.of(e.getMessage()));
    }
  }
}
