package dev.tagflow.render;

import dev.tagflow.DirectoryRemoval;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.source.RemoteAccess;
import dev.tagflow.source.RepoCache;
import dev.tagflow.source.Revision;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A real Git repository in a temporary folder, written with the {@code git} command as a user
 * would, read through a {@link RepoCache} and rendered by a {@link Renderer}; for tests.
 */
final class GitFixture implements AutoCloseable {

  final Path root;
  final Path work;
  private final GitWorkTree tree;
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final RepoCache repos;
  final Renderer renderer;

  GitFixture(Path root, Optional<Path> kubectl) {
    this(root, "work", kubectl);
  }

  GitFixture(Path root, String name, Optional<Path> kubectl) {
    this.root = root;
    this.work = root.resolve(name);
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.tree = GitWorkTree.init(work);
    this.repos =
        new RepoCache(
            root.resolve("mirrors-" + name),
            RemoteAccess.anonymous(meters),
            meters,
            Clock.systemUTC());
    this.renderer =
        new Renderer(
            repos, RenderOptions.defaults(root.resolve("render-" + name), kubectl), meters);
  }

  String url() {
    return work.toString();
  }

  GitFixture write(String path, String content) {
    tree.write(path, content);
    return this;
  }

  GitFixture write(String path, byte[] content) {
    try {
      Path file = work.resolve(path);
      Files.createDirectories(file.getParent());
      Files.write(file, content);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies a folder of the test resources ({@code render/charts/hooks}) to a path. */
  GitFixture copy(String resource, String to) {
    try {
      Path from = Path.of(GitFixture.class.getResource("/" + resource).toURI());
      try (Stream<Path> files = Files.walk(from)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          write(to + "/" + from.relativize(file), Files.readString(file));
        }
      }
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Removes a file or folder from the working tree (committed or not). */
  GitFixture delete(String path) {
    try {
      DirectoryRemoval.delete(work.resolve(path));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Commits everything and returns the new revision of {@code main} as the renderer sees it. */
  Revision commit(String message) {
    tree.commit(message);
    repos.fetch(url());
    return repos.resolve(url(), "main");
  }

  List<Manifest> render(RenderSource source, Revision revision, RenderTarget target) {
    return renderer.render(source, revision, target);
  }

  double cacheCount(String result) {
    return meters.get("tagflow.render.cache").tag("result", result).counter().count();
  }

  /** Runs git in the work tree (to tag, say). */
  String git(String... args) {
    return tree.git(args);
  }

  @Override
  public void close() {
    renderer.close();
    repos.close();
  }
}
