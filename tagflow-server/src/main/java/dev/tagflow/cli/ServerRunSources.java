package dev.tagflow.cli;

import dev.tagflow.TagflowException;
import dev.tagflow.UrlRedaction;
import dev.tagflow.pipeline.workflow.RefPush;
import dev.tagflow.secret.ResolvedSecrets;
import dev.tagflow.secret.SecretKeyFile;
import dev.tagflow.secret.SecretScope;
import dev.tagflow.secret.Secrets;
import dev.tagflow.server.git.HostedRepositories;
import dev.tagflow.server.pipeline.RefLookup;
import dev.tagflow.server.pipeline.RunSecrets;
import dev.tagflow.source.RepoCache;
import dev.tagflow.source.RepoEntry;
import dev.tagflow.source.Revision;
import dev.tagflow.store.SecretStore;
import java.net.URI;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What {@code tagflow server}'s runs read from the rest of the server: a repository's secrets (its
 * own scope, then project {@code default}'s) and, for a manual run, the repository a user names (of
 * {@code tagflow repo add} or of the server's Git server) and its tag or branch.
 */
final class ServerRunSources implements RunSecrets, RefLookup {

  /** The project every repository belongs to until repositories are given projects. */
  static final String DEFAULT_PROJECT = "default";

  private final Path dataDir;
  private final SecretStore secrets;
  private final FollowedRepositories followed;
  private final RepoCache cache;
  private final Supplier<URI> serverUrl;

  ServerRunSources(
      Path dataDir,
      SecretStore secrets,
      FollowedRepositories followed,
      RepoCache cache,
      Supplier<URI> serverUrl) {
    this.dataDir = dataDir;
    this.secrets = secrets;
    this.followed = followed;
    this.cache = cache;
    this.serverUrl = serverUrl;
  }

  @Override
  public ResolvedSecrets resolve(String repositoryUrl, Collection<String> names) {
    // The key file is read only when a workflow names a secret: a server whose workflows use
    // none needs none.
    Secrets store = new Secrets(secrets, SecretKeyFile.load(dataDir));
    return store.resolve(
        List.of(
            new SecretScope.Repository(repositoryName(repositoryUrl)),
            new SecretScope.Project(DEFAULT_PROJECT)),
        names);
  }

  /** The name a repository's secrets are set under: its {@code tagflow repo add} name. */
  String repositoryName(String url) {
    String bare = UrlRedaction.redact(url);
    return followed.list().stream()
        .filter(r -> r.url().equals(bare))
        .map(r -> r.entry().name())
        .findFirst()
        .orElse(RepoEntry.defaultName(bare));
  }

  @Override
  public Target find(String repository, String ref) {
    String url = urlOf(repository);
    boolean wantsTag = ref.startsWith("refs/tags/");
    boolean wantsBranch = ref.startsWith("refs/heads/");
    String name = ref.replaceFirst("^refs/(tags|heads)/", "");
    if (name.isBlank()) {
      throw TagflowException.invalidInput("--ref is empty; give a tag (v1.2.3) or a branch");
    }
    Revision revision = cache.resolve(url, ref);
    return switch (revision.kind()) {
      case TAG -> {
        if (wantsBranch) {
          throw TagflowException.invalidInput(ref + " is not a branch of " + repository);
        }
        yield new Target(url, RefPush.tag(revision.tag().orElse(name)), revision.commit());
      }
      case BRANCH -> {
        if (wantsTag) {
          throw TagflowException.invalidInput(ref + " is not a tag of " + repository);
        }
        yield new Target(url, RefPush.branch(name), revision.commit());
      }
      default ->
          throw TagflowException.invalidInput(
              "'"
                  + ref
                  + "' is a "
                  + revision.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                  + ", not a tag or branch of "
                  + repository
                  + "; a manual run is for a tag or a branch, as on GitHub");
    };
  }

  /** The URL of a repository named by the user: a followed one, one of the Git server, a URL. */
  private String urlOf(String repository) {
    Optional<String> followedUrl =
        followed.list().stream()
            .filter(r -> r.entry().name().equals(repository) || r.url().equals(repository))
            .map(r -> r.url())
            .findFirst();
    if (followedUrl.isPresent()) {
      return followedUrl.get();
    }
    HostedRepositories hosted = new HostedRepositories(dataDir.resolve("git"));
    String bare = repository.replaceFirst("\\.git$", "").replaceFirst("^git/", "");
    if (hosted.list().stream().anyMatch(h -> h.name().equals(bare))) {
      return serverUrl.get() + "/git/" + bare + ".git";
    }
    if (repository.contains("://")) {
      return repository;
    }
    throw TagflowException.invalidInput(
        "no repository named '"
            + repository
            + "' is known to this server; the repositories: "
            + followed.list().stream().map(r -> r.entry().name()).toList()
            + " (tagflow repo add) and "
            + hosted.list().stream().map(HostedRepositories.HostedRepository::name).toList()
            + " (its Git server)");
  }
}
