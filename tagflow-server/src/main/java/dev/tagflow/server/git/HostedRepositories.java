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
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The bare repositories Tagflow hosts, one directory {@code <name>.git} each under one root; the
 * server and the {@code tagflow git} verbs both use it, so a repository created by either is served
 * at once.
 */
public final class HostedRepositories {

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

  /** Creates an empty bare repository with {@code main} as its default branch. */
  public HostedRepository create(String name) {
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
