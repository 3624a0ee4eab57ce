package dev.tagflow.render;

import dev.tagflow.source.RemoteAccess;
import dev.tagflow.source.RepoCache;
import dev.tagflow.source.Revision;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A real Git repository written with the {@code git} command, and a renderer reading it. */
final class RenderRepository implements AutoCloseable {

  final Path work;
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final RepoCache repos;
  final Renderer renderer;

  RenderRepository(Path root, Optional<Path> kubectl) {
    this.work = root.resolve("work");
    git(root, "init", "-q", "-b", "main", work.toString());
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
    try {
      Path file = work.resolve(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
    git(work, "add", "-A");
    git(work, "commit", "-q", "--allow-empty", "-m", message);
    repos.fetch(url());
    return repos.resolve(url(), "main");
  }

  double cacheCount(String result) {
    return meters.get("tagflow.render.cache").tag("result", result).counter().count();
  }

  private static void git(Path dir, String... args) {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().put("GIT_AUTHOR_NAME", "Test");
    builder.environment().put("GIT_AUTHOR_EMAIL", "test@tagflow.dev");
    builder.environment().put("GIT_COMMITTER_NAME", "Test");
    builder.environment().put("GIT_COMMITTER_EMAIL", "test@tagflow.dev");
    builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
    builder.redirectErrorStream(true);
    try {
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    renderer.close();
    repos.close();
  }
}
