package dev.tagflow.source;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tagflow.TagflowException;
import dev.tagflow.UrlRedaction;
import dev.tagflow.yaml.YamlDocument;
import dev.tagflow.yaml.YamlLimits;
import dev.tagflow.yaml.YamlOutput;
import dev.tagflow.yaml.YamlReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * The repositories Tagflow knows, kept in one YAML file of the data directory ({@code
 * repositories.yaml}). The file is replaced in one step (written beside it, then moved over it), so
 * a crash never leaves half a list; it holds paths to secret files, never secrets.
 *
 * <p>No URL in it holds credentials ({@link UrlRedaction}): adding one that does is refused. A file
 * written by hand, or by an older Tagflow, with such a URL is still read: the credentials are
 * ignored (the entry's URL is the one without them) with a warning saying how to keep the secret in
 * a file instead, and they leave the file the next time Tagflow writes it. Reading never rewrites
 * the file, so nothing the user wrote is lost without their doing.
 */
public final class RepoRegistry {

  private static final Logger log = LoggerFactory.getLogger(RepoRegistry.class);

  private static final ObjectMapper YAML =
      YamlOutput.builder()
          .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
          .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
          .changeDefaultPropertyInclusion(
              inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private final Path file;
  private final YamlReader yaml = new YamlReader(YamlLimits.defaults(), false);

  /** The entries whose URL held credentials and were warned about, so each is told once. */
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  /**
   * @param file the YAML file, e.g. {@code ~/.tagflow/repositories.yaml}; missing means no
   *     repositories yet
   */
  public RepoRegistry(Path file) {
    this.file = Objects.requireNonNull(file, "file");
  }

  /** The repositories, in the order they were added. */
  public List<RepoEntry> list() {
    if (!Files.exists(file)) {
      return List.of();
    }
    List<YamlDocument> documents;
    try {
      documents = yaml.read(file);
    } catch (TagflowException e) {
      if (e.reason() != TagflowException.Reason.INVALID_INPUT) {
        throw e;
      }
      throw TagflowException.invalidInput(e.getMessage() + " (fix or remove the file)");
    }
    try {
      Document document =
          documents.isEmpty() || documents.getFirst().value().isNull()
              ? null
              : YAML.treeToValue(documents.getFirst().value(), Document.class);
      if (document == null || document.repositories() == null) {
        return List.of();
      }
      List<RepoEntry> entries = new ArrayList<>();
      for (Stored stored : document.repositories()) {
        RepoEntry entry = stored.toEntry();
        if (stored.url() != null && !entry.url().equals(stored.url())) {
          warnOnce(entry);
        }
        entries.add(entry);
      }
      return entries;
    } catch (JacksonException | IllegalArgumentException e) {
      throw TagflowException.invalidInput(
          "cannot read " + file + ": " + e.getMessage() + " (fix or remove the file)");
    }
  }

  /** A repository by its name or its URL (with or without credentials). */
  public Optional<RepoEntry> find(String nameOrUrl) {
    String url = UrlRedaction.redact(nameOrUrl);
    return list().stream()
        .filter(e -> e.name().equals(nameOrUrl) || e.url().equals(url))
        .findFirst();
  }

  /** Like {@link #find}, failing with the names known when there is no such repository. */
  public RepoEntry get(String nameOrUrl) {
    return find(nameOrUrl)
        .orElseThrow(
            () ->
                TagflowException.invalidInput(
                    "no repository named '"
                        + nameOrUrl
                        + "' (known: "
                        + (list().isEmpty()
                            ? "none; add one with 'tagflow repo add <url>'"
                            : String.join(", ", list().stream().map(RepoEntry::name).toList()))
                        + ")"));
  }

  /** The credentials of a URL, anonymous when the URL is not in the list. */
  public RepoCredentials credentialsFor(String url) {
    String withoutCredentials = UrlRedaction.redact(url);
    return list().stream()
        .filter(e -> e.url().equals(withoutCredentials))
        .map(RepoEntry::credentials)
        .findFirst()
        .orElse(RepoCredentials.none());
  }

  /**
   * Adds a repository.
   *
   * @throws TagflowException (INVALID_INPUT) when its name or URL is already there, or its URL
   *     holds credentials
   */
  public RepoEntry add(RepoEntry entry) {
    checkCanAdd(entry);
    List<RepoEntry> entries = new ArrayList<>(list());
    entries.add(entry);
    write(entries);
    return entry;
  }

  /**
   * Fails as {@link #add} would, without adding: to refuse a duplicate before a slow reachability
   * check.
   */
  public void checkCanAdd(RepoEntry entry) {
    if (UrlRedaction.hasCredentials(entry.url())) {
      // The caller should have refused it with its own words; this keeps secrets out of the file.
      throw TagflowException.invalidInput(
          "the URL of '"
              + entry.name()
              + "' holds credentials, which are never stored: give "
              + UrlRedaction.redact(entry.url())
              + " and the secret in a file (RepoCredentials)");
    }
    for (RepoEntry existing : list()) {
      if (existing.name().equals(entry.name())) {
        throw TagflowException.invalidInput(
            "a repository named '"
                + entry.name()
                + "' exists already ("
                + existing.url()
                + "); choose another with --name");
      }
      if (existing.url().equals(entry.url())) {
        throw TagflowException.invalidInput(
            entry.url() + " was added already, as '" + existing.name() + "'");
      }
    }
  }

  private void warnOnce(RepoEntry entry) {
    if (warned.add(entry.name())) {
      log.warn(
          "{}: the URL of repository '{}' holds credentials; Tagflow ignores them and uses {}."
              + " Keep the secret in a file instead: set tokenFile (or username and passwordFile)"
              + " in that entry, or remove it and run 'tagflow repo add {} --token-file <file>'."
              + " The credentials leave the file the next time Tagflow writes it.",
          file,
          entry.name(),
          entry.url(),
          entry.url());
    }
  }

  private void write(List<RepoEntry> entries) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path temporary =
          Files.createTempFile(file.toAbsolutePath().getParent(), ".repositories", ".tmp");
      try {
        YAML.writeValue(
            temporary.toFile(), new Document(entries.stream().map(Stored::of).toList()));
        Files.move(
            temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException | JacksonException e) {
      throw TagflowException.failed("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** The file's layout. */
  private record Document(List<Stored> repositories) {}

  /** One repository as written in the file: flat, with only the credential fields it uses. */
  private record Stored(
      String name,
      String url,
      String tokenFile,
      String username,
      String passwordFile,
      String sshKey,
      String knownHosts) {

    static Stored of(RepoEntry entry) {
      String url = UrlRedaction.redact(entry.url());
      return switch (entry.credentials()) {
        case RepoCredentials.None none ->
            new Stored(entry.name(), url, null, null, null, null, null);
        case RepoCredentials.Token token ->
            new Stored(entry.name(), url, token.tokenFile().toString(), null, null, null, null);
        case RepoCredentials.Basic basic ->
            new Stored(
                entry.name(),
                url,
                null,
                basic.username(),
                basic.passwordFile().toString(),
                null,
                null);
        case RepoCredentials.Secret secret ->
            throw new IllegalArgumentException(
                "repositories.yaml keeps files only; "
                    + entry.name()
                    + " logs in with secret "
                    + secret.secret()
                    + " of the server's store");
        case RepoCredentials.SshKey key ->
            new Stored(
                entry.name(),
                url,
                null,
                null,
                null,
                key.privateKey().toString(),
                key.knownHosts().toString());
      };
    }

    RepoEntry toEntry() {
      RepoCredentials credentials;
      if (tokenFile != null) {
        credentials = new RepoCredentials.Token(Path.of(tokenFile));
      } else if (username != null && passwordFile != null) {
        credentials = new RepoCredentials.Basic(username, Path.of(passwordFile));
      } else if (sshKey != null && knownHosts != null) {
        credentials = new RepoCredentials.SshKey(Path.of(sshKey), Path.of(knownHosts));
      } else {
        credentials = RepoCredentials.none();
      }
      // A URL from an older file may hold credentials: they are not kept (see the class).
      return new RepoEntry(name, url == null ? null : UrlRedaction.redact(url), credentials);
    }
  }
}
