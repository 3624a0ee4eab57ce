package dev.tagflow.server.repository;

import dev.tagflow.TagflowException;
import dev.tagflow.UrlRedaction;
import dev.tagflow.secret.SecretKeyFile;
import dev.tagflow.secret.Secrets;
import dev.tagflow.server.config.ServerSettings;
import dev.tagflow.source.RepoCredentials;
import dev.tagflow.source.RepoEntry;
import dev.tagflow.store.AddedRepository;
import dev.tagflow.store.RepositoryStore;
import dev.tagflow.store.SecretStore;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The repositories added over the API: checked, kept in the store, given to the poller and webhooks
 * as followed repositories, and their secrets opened when a Git transport needs them. Whoever
 * follows the list registers with {@link #onChange} to hear of an add or a removal at once.
 */
public final class AddedRepositories {

  private static final Logger log = LoggerFactory.getLogger(AddedRepositories.class);

  /** The longest URL taken: longer ones are no repository anyone types. */
  public static final int MAX_URL = 2048;

  private final RepositoryStore store;
  private final SecretStore secretStore;
  private final Path dataDir;
  private final Clock clock;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private Secrets secrets;

  /**
   * @param dataDir where the key that opens the secrets is ({@link SecretKeyFile}), read at the
   *     first use of a secret
   */
  public AddedRepositories(
      RepositoryStore store, SecretStore secretStore, Path dataDir, Clock clock) {
    this.store = store;
    this.secretStore = secretStore;
    this.dataDir = dataDir;
    this.clock = clock;
  }

  /** What to add: the URL, and how it logs in. */
  public record Request(
      String url, Optional<String> username, Optional<SecretReference> passwordSecret) {}

  /** Calls {@code listener} after each add and removal. */
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  public List<AddedRepository> list() {
    return store.list();
  }

  public Optional<AddedRepository> get(String name) {
    return store.get(name);
  }

  /**
   * The URL as it is kept and compared: HTTPS or HTTP, without a trailing {@code /}.
   *
   * @throws TagflowException (invalid input) for a URL the API does not add; the message never
   *     repeats what stood before the URL's {@code @}
   */
  public static String checkedUrl(String url) {
    if (url.isBlank()) {
      throw TagflowException.invalidInput("url is empty");
    }
    if (UrlRedaction.hasCredentials(url)) {
      throw TagflowException.invalidInput(
          "url holds credentials (before its '@'), which Tagflow never keeps in a URL: store"
              + " the password or token as a secret and name it in passwordSecret");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw TagflowException.invalidInput("url is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw TagflowException.invalidInput(
          "url must be an https:// (or http://) URL: SSH keys and local paths are added with"
              + " 'tagflow repo add' on the server's host, which keeps them in files");
    }
    if (uri.getHost() == null || uri.getRawPath() == null || uri.getRawPath().length() < 2) {
      throw TagflowException.invalidInput(
          "url names no repository: give host and path, e.g. https://github.com/acme/web.git");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw TagflowException.invalidInput("url has a query or fragment; a repository URL has none");
    }
    return url.replaceAll("/+$", "");
  }

  /**
   * Keeps a repository, named {@code name} ({@code owner/name} of its URL).
   *
   * @return the stored repository, or empty when one of that name or URL is kept already
   */
  public Optional<AddedRepository> add(String name, Request request, String by) {
    AddedRepository repository =
        new AddedRepository(
            name,
            request.url(),
            request.username(),
            request.passwordSecret().map(SecretReference::toString),
            by,
            clock.instant());
    if (!store.add(repository)) {
      return Optional.empty();
    }
    log.info(
        "repository {} ({}) added by {}{}",
        name,
        request.url(),
        by,
        request.passwordSecret().map(s -> ", logging in with secret " + s).orElse(""));
    listeners.forEach(Runnable::run);
    return Optional.of(repository);
  }

  /** Whether the secret is set: a repository is never added with a secret that is not. */
  public boolean secretIsSet(SecretReference secret) {
    return secretStore.get(secret.scope().key(), secret.name()).isPresent();
  }

  /**
   * Removes a repository.
   *
   * @return whether there was one
   */
  public boolean remove(String name, String by) {
    boolean removed = store.remove(name);
    if (removed) {
      log.info("repository {} removed by {}", name, by);
      listeners.forEach(Runnable::run);
    }
    return removed;
  }

  /**
   * The added repositories as the server follows them: each named as its last path segment (as runs
   * and repository secrets name it), polled every {@code pollEvery}.
   */
  public List<ServerSettings.Repository> followed(Duration pollEvery) {
    return store.list().stream()
        .map(r -> new ServerSettings.Repository(entry(r), pollEvery))
        .toList();
  }

  private RepoEntry entry(AddedRepository repository) {
    RepoCredentials credentials =
        repository
            .passwordSecret()
            .<RepoCredentials>map(
                secret ->
                    new RepoCredentials.Secret(
                        repository.username(), secret, () -> open(repository.name(), secret)))
            .orElseGet(RepoCredentials::none);
    return new RepoEntry(RepoEntry.defaultName(repository.url()), repository.url(), credentials);
  }

  /** The secret's value, or a failure that names the secret and how to set it. */
  private String open(String repository, String reference) {
    SecretReference secret = SecretReference.parse(reference);
    String value =
        secrets().resolve(List.of(secret.scope()), List.of(secret.name())).valueOf(secret.name());
    if (value.isEmpty()) {
      throw TagflowException.failed(
          "repository "
              + repository
              + " logs in with secret "
              + reference
              + ", which is not set: set it again (PUT /api/v1/secrets/"
              + reference
              + " or tagflow secret set)");
    }
    return value;
  }

  /** The sealing key is read at the first use: a server without such secrets needs none. */
  private synchronized Secrets secrets() {
    if (secrets == null) {
      secrets = new Secrets(secretStore, SecretKeyFile.load(dataDir));
    }
    return secrets;
  }
}
