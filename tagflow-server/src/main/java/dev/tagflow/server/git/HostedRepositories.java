package dev.tagflow.server.git;

import dev.tagflow.TagflowException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.util.FS;

/**
 * The bare repositories Tagflow hosts, one directory {@code <name>.git} each under one root; the
 * server and the {@code tagflow git} verbs both use it, so a repository created by either is served
 * at once.
 */
public final class HostedRepositories {

  /** The section of a repository's Git config that holds Tagflow's settings for it. */
  private static final String SETTINGS = "tagflow";

  private static final String ANONYMOUS_READ = "anonymousRead";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  private final Path root;

  public HostedRepositories(Path root) {
    this.root = Objects.requireNonNull(root, "root");
  }

  public Path root() {
    return root;
  }

  /**
   * The repository's name without {@code .git}, if {@code name} is a valid one: letters, digits,
   * {@code . _ -}, starting with a letter or digit, so it can never leave the root.
   */
  public static Optional<String> validName(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String bare = name.endsWith(".git") ? name.substring(0, name.length() - 4) : name;
    if (!NAME.matcher(bare).matches() || bare.contains("..")) {
      return Optional.empty();
    }
    return Optional.of(bare);
  }

  /** Creates an empty bare repository with {@code main} as its default branch, private. */
  public HostedRepository create(String name) {
    return create(name, false);
  }

  /**
   * Creates an empty bare repository with {@code main} as its default branch.
   *
   * @param anonymousRead whether anyone may clone and fetch it without a token
   */
  public HostedRepository create(String name, boolean anonymousRead) {
    String bare =
        validName(name)
            .orElseThrow(
                () ->
                    TagflowException.invalidInput(
                        "'"
                            + name
                            + "' is not a valid repository name: use letters, digits, '.', '_'"
                            + " and '-', starting with a letter or digit (e.g. environments)"));
    Path directory = directoryOf(bare);
    if (Files.exists(directory)) {
      throw TagflowException.invalidInput(
          "repository '" + bare + "' already exists at " + directory + ": choose another name");
    }
    try {
      Files.createDirectories(root);
      try (Git git =
          Git.init()
              .setBare(true)
              .setInitialBranch("main")
              .setDirectory(directory.toFile())
              .call()) {
        if (anonymousRead) {
          writeAnonymousRead(git.getRepository(), true);
        }
        return new HostedRepository(bare, directory);
      }
    } catch (IOException | GitAPIException e) {
      throw TagflowException.failed(
          "cannot create repository '" + bare + "' at " + directory + ": " + e.getMessage(), e);
    }
  }

  /** The hosted repositories, sorted by name. */
  public List<HostedRepository> list() {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(root)) {
      return children
          .filter(Files::isDirectory)
          .map(path -> path.getFileName().toString())
          .filter(file -> file.endsWith(".git"))
          .flatMap(file -> validName(file).stream())
          .sorted()
          .map(name -> new HostedRepository(name, directoryOf(name)))
          .toList();
    } catch (IOException e) {
      throw TagflowException.failed("cannot list repositories in " + root + ": " + e.getMessage());
    }
  }

  /** Opens an existing repository; empty if the name is invalid or no such repository exists. */
  public Optional<Repository> open(String name) throws IOException {
    Optional<String> bare = validName(name);
    if (bare.isEmpty()) {
      return Optional.empty();
    }
    Path directory = directoryOf(bare.get());
    if (!Files.isDirectory(directory)) {
      return Optional.empty();
    }
    return Optional.of(
        new FileRepositoryBuilder().setGitDir(directory.toFile()).setMustExist(true).build());
  }

  /**
   * Whether anyone may clone and fetch the repository without a token: an explicit setting per
   * repository ({@code tagflow.anonymousRead} in its Git config), off unless someone turned it on.
   * False for a repository that does not exist or cannot be read.
   */
  public boolean allowsAnonymousRead(String name) {
    Optional<String> bare = validName(name);
    if (bare.isEmpty()) {
      return false;
    }
    Path config = directoryOf(bare.get()).resolve("config");
    if (!Files.isRegularFile(config)) {
      return false;
    }
    FileBasedConfig settings = new FileBasedConfig(config.toFile(), FS.DETECTED);
    try {
      settings.load();
    } catch (IOException | ConfigInvalidException unreadable) {
      // A config nobody can read grants nothing; the fetch itself will fail and say why.
      return false;
    }
    return settings.getBoolean(SETTINGS, ANONYMOUS_READ, false);
  }

  /** Turns anonymous read of an existing repository on or off. */
  public void setAnonymousRead(String name, boolean allowed) {
    try (Repository repository =
        open(name)
            .orElseThrow(
                () ->
                    TagflowException.invalidInput(
                        "no repository '" + name + "' in " + root + " (see 'tagflow git list')"))) {
      writeAnonymousRead(repository, allowed);
    } catch (IOException e) {
      throw TagflowException.failed(
          "cannot change repository '" + name + "': " + e.getMessage(), e);
    }
  }

  private static void writeAnonymousRead(Repository repository, boolean allowed)
      throws IOException {
    StoredConfig config = repository.getConfig();
    config.setBoolean(SETTINGS, null, ANONYMOUS_READ, allowed);
    config.save();
  }

  private Path directoryOf(String bareName) {
    return root.resolve(bareName + ".git");
  }

  /**
   * One hosted repository.
   *
   * @param name the name without {@code .git}, as in {@code /git/<name>.git}
   * @param directory the bare repository on disk
   */
  public record HostedRepository(String name, Path directory) {}
}
