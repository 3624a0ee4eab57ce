package dev.tagflow.render;

import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.source.RemoteAccess;
import dev.tagflow.source.RepoCache;
import dev.tagflow.source.Revision;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/** A real Git repository written with the {@code git} command, and a renderer reading it. */
final class RenderRepository implements AutoCloseable {

  final Path work;
  private final GitWorkTree tree;
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final RepoCache repos;
  final Renderer renderer;

  RenderRepository(Path root, Optional<Path> kubectl) {
    this.work = root.resolve("work");
    this.tree = GitWorkTree.init(work);
    this.repos =
        new RepoCache(
            root.resolve("mirrors"), RemoteAccess.anonymous(meters), meters, Clock.systemUTC());
    this.renderer =
        new Renderer(repos, RenderOptions.defaults(root.resolve("render"), kubectl), meters);
  }

  String url() {
    return work.toString();
  }

  RenderRepository write(String path, String content) {
    tree.write(path, content);
    return this;
  }

  /** Copies a folder of tagflow-core's test charts (by path from the repository's root). */
  RenderRepository copyFrom(Path folder, String to) {
    try (var files = Files.walk(folder)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        write(to + "/" + folder.relativize(file), Files.readString(file));
      }
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Revision commit(String message) {
    tree.commit(message);
    repos.fetch(url());
    return repos.resolve(url(), "main");
  }

  double cacheCount(String result) {
    return meters.get("tagflow.render.cache").tag("result", result).counter().count();
  }

  @Override
  public void close() {
    renderer.close();
    repos.close();
  }
}
