package dev.tagflow.source;

import dev.tagflow.TagflowException;
import dev.tagflow.UrlRedaction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.File;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.transport.SshConfigStore;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * How Tagflow reaches a repository URL: the credentials and transport settings of every Git
 * command, and ls-remote (the cheap question "where do the refs point now?").
 *
 * <p>JGit is only ever given the URL without credentials ({@link UrlRedaction}): credentials
 * written into a URL ({@code https://user:token@host}, as an Application may name its repository)
 * are sent as credentials, so that they cannot end up in a mirror's files or in JGit's messages.
 */
public final class RemoteAccess implements AutoCloseable {

  /** The user name GitHub, GitLab and Gitea accept with a personal access token as password. */
  private static final String TOKEN_USER = "x-access-token";

  private final Function<String, RepoCredentials> credentials;
  private final Duration timeout;
  private final MeterRegistry meters;
  private final Map<RepoCredentials.SshKey, SshdSessionFactory> sshFactories =
      new ConcurrentHashMap<>();

  /**
   * @param credentials the credentials of a repository URL ({@link RepoCredentials.None} when none)
   * @param timeout how long one network operation may stall before it fails
   */
  public RemoteAccess(
      Function<String, RepoCredentials> credentials, Duration timeout, MeterRegistry meters) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.meters = Objects.requireNonNull(meters, "meters");
  }

  /** Anonymous access with a 60 s timeout: for tests and local paths. */
  public static RemoteAccess anonymous(MeterRegistry meters) {
    return new RemoteAccess(url -> RepoCredentials.none(), Duration.ofSeconds(60), meters);
  }

  /**
   * The branches and tags a repository advertises, by full ref name, each pointing at a commit
   * (annotated tags are peeled, so a tag "moves" only when its commit changes).
   */
  public Map<String, String> advertisedRefs(String url) {
    counter("tagflow.source.lsremote", url).increment();
    var command =
        Git.lsRemoteRepository().setRemote(UrlRedaction.redact(url)).setHeads(true).setTags(true);
    configure(command, url);
    try {
      Map<String, String> refs = new TreeMap<>();
      for (Ref ref : command.callAsMap().values()) {
        ObjectId id = ref.getPeeledObjectId() != null ? ref.getPeeledObjectId() : ref.getObjectId();
        // Older servers advertise the peeled line as its own "refs/tags/x^{}" entry.
        String name = ref.getName();
        if (name.endsWith("^{}")) {
          refs.put(name.substring(0, name.length() - 3), id.name());
        } else if (id != null) {
          refs.putIfAbsent(name, id.name());
        }
      }
      return refs;
    } catch (GitAPIException | RuntimeException e) {
      throw unreachable(url, e);
    }
  }

  /**
   * Applies the repository's credentials and our timeout to a JGit command, whose remote must be
   * {@code url} without its credentials. The configured credentials are those of the URL without
   * credentials; those written in the URL are used when none were configured.
   */
  public void configure(TransportCommand<?, ?> command, String url) {
    command.setTimeout((int) Math.max(1, timeout.toSeconds()));
    switch (credentials.apply(UrlRedaction.redact(url))) {
      case RepoCredentials.None none ->
          inUrl(url).ifPresent(login -> command.setCredentialsProvider(login));
      case RepoCredentials.Token token ->
          command.setCredentialsProvider(
              new UsernamePasswordCredentialsProvider(
                  TOKEN_USER, RepoCredentials.readSecret(token.tokenFile(), "token")));
      case RepoCredentials.Basic basic ->
          command.setCredentialsProvider(
              new UsernamePasswordCredentialsProvider(
                  basic.username(), RepoCredentials.readSecret(basic.passwordFile(), "password")));
      case RepoCredentials.Secret secret ->
          command.setCredentialsProvider(
              new UsernamePasswordCredentialsProvider(
                  secret.username().orElse(TOKEN_USER), secret.value().get()));
      case RepoCredentials.SshKey key -> {
        SshdSessionFactory factory = sshFactories.computeIfAbsent(key, RemoteAccess::sshFactory);
        command.setTransportConfigCallback(
            transport -> {
              if (transport instanceof SshTransport ssh) {
                ssh.setSshSessionFactory(factory);
              }
            });
      }
    }
  }

  /** The failure of talking to a remote, as a message without any secret in it. */
  TagflowException unreachable(String url, Exception cause) {
    if (cause instanceof TagflowException failure) {
      return failure;
    }
    String reason = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    return TagflowException.failed(
        "cannot reach repository " + UrlRedaction.redact(url) + ": " + UrlRedaction.redact(reason),
        cause);
  }

  Counter counter(String name, String url) {
    return meters.counter(name, "repository", UrlRedaction.redact(url));
  }

  /**
   * The user and password written into a URL ({@code https://user:pw@host}; a user alone is a token
   * with an empty password, as GitHub and GitLab take it), if any.
   */
  private static Optional<UsernamePasswordCredentialsProvider> inUrl(String url) {
    if (!UrlRedaction.hasCredentials(url)) {
      return Optional.empty();
    }
    try {
      String userInfo = new URI(url).getRawUserInfo();
      if (userInfo == null) {
        return Optional.empty();
      }
      int colon = userInfo.indexOf(':');
      String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
      String password = colon < 0 ? "" : userInfo.substring(colon + 1);
      return Optional.of(new UsernamePasswordCredentialsProvider(decode(user), decode(password)));
    } catch (URISyntaxException | IllegalArgumentException malformed) {
      // Not a URL Git could use either: fetching fails, with a message that holds no secret.
      return Optional.empty();
    }
  }

  /** Percent-decoding of user info, where '+' is a plus and not a space. */
  private static String decode(String text) {
    return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** Whether a URL names a repository on this machine (a plain path or {@code file://}). */
  public static boolean isLocal(String url) {
    if (url.startsWith("file:")) {
      return true;
    }
    try {
      URI uri = new URI(url);
      return uri.getScheme() == null && !url.matches("^[^/]+@[^/]+:.*");
    } catch (URISyntaxException e) {
      return !url.contains("://") && !url.matches("^[^/]+@[^/]+:.*");
    }
  }

  private static SshdSessionFactory sshFactory(RepoCredentials.SshKey key) {
    File sshDir = key.privateKey().toAbsolutePath().getParent().toFile();
    return new SshdSessionFactoryBuilder()
        .setSshDirectory(sshDir)
        .setHomeDirectory(sshDir)
        .setDefaultIdentities(dir -> List.of(key.privateKey()))
        .setDefaultKnownHostsFiles(dir -> List.of(key.knownHosts()))
        // Ignore ~/.ssh/config: a repository's settings are what Tagflow was told, nothing else.
        .setConfigStoreFactory((home, config, user) -> new StrictHostKeys())
        .build(null);
  }

  @Override
  public void close() {
    sshFactories.values().forEach(SshdSessionFactory::close);
    sshFactories.clear();
  }

  /** An SSH configuration that only says: refuse hosts whose key is not in known_hosts. */
  private static final class StrictHostKeys implements SshConfigStore {
    @Override
    public HostConfig lookup(String hostName, int port, String userName) {
      return new Strict();
    }

    @Override
    public HostConfig lookupDefault(String hostName, int port, String userName) {
      return new Strict();
    }
  }

  private static final class Strict implements SshConfigStore.HostConfig {
    private static final Map<String, String> OPTIONS =
        Map.of("StrictHostKeyChecking", "yes", "BatchMode", "yes");

    @Override
    public String getValue(String key) {
      return OPTIONS.get(key);
    }

    @Override
    public List<String> getValues(String key) {
      return List.of();
    }

    @Override
    public Map<String, String> getOptions() {
      return OPTIONS;
    }

    @Override
    public Map<String, List<String>> getMultiValuedOptions() {
      return Map.of();
    }
  }
}
