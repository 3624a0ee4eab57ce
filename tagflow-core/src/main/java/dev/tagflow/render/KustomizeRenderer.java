package dev.tagflow.render;

import dev.tagflow.TagflowException;
import dev.tagflow.source.RepoCache;
import dev.tagflow.source.Revision;
import dev.tagflow.source.TreeReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * A Kustomize overlay, built by {@code kubectl kustomize}. An overlay reads outside its own path
 * ({@code ../../base}), so the directories and files its kustomization files name are followed (any
 * string in them that is a path of the repository counts), written out together, and make up the
 * cache key: a change anywhere else in the repository does not rebuild the overlay.
 */
final class KustomizeRenderer {

  static final List<String> KUSTOMIZATION_FILES =
      List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

  private final ManifestParser parser;
  private final ManifestParser output;
  private final Workspace workspace;
  private final Optional<Path> kubectl;
  private final Duration timeout;

  KustomizeRenderer(
      ManifestParser parser,
      ManifestParser output,
      Workspace workspace,
      Optional<Path> kubectl,
      Duration timeout) {
    this.parser = parser;
    this.output = output;
    this.workspace = workspace;
    this.kubectl = kubectl;
    this.timeout = timeout;
  }

  RenderPlan plan(RenderSource source, Revision revision, RepoCache repos) {
    TreeReader root = repos.tree(source.repoURL(), revision, "");
    String start = source.resolve("", source.path());
    if (kustomization(root, start).isEmpty()) {
      throw TagflowException.invalidInput(
          "no kustomization.yaml in '"
              + source.shownPath()
              + "' of "
              + source.repoURL()
              + " at "
              + HelmRenderer.Chart.describe(revision)
              + "; a Kustomize source needs one");
    }
    Map<String, String> read = reachable(root, start, source);
    String key = "kustomize|" + start + "|" + read;
    return new RenderPlan(
        key, "kustomize", () -> build(source, revision, repos, read.keySet(), start));
  }

  /** Every directory ("d:path") and file ("f:path") the overlay reads, with its content id. */
  private Map<String, String> reachable(TreeReader root, String start, RenderSource source) {
    Map<String, String> read = new TreeMap<>();
    Deque<String> directories = new ArrayDeque<>(List.of(start));
    while (!directories.isEmpty()) {
      String directory = directories.pop();
      if (read.containsKey("d:" + directory)) {
        continue;
      }
      read.put("d:" + directory, root.treeId(directory));
      Optional<String> file = kustomization(root, directory);
      if (file.isEmpty()) {
        continue;
      }
      JsonNode tree = parser.tree(file.get(), parser.read(root, file.get(), file.get()));
      for (String value : strings(tree, new ArrayList<>())) {
        if (value.contains("://") || value.contains("\n") || value.startsWith("git@")) {
          continue; // remote bases are fetched by kustomize itself and cannot be keyed here
        }
        String path;
        try {
          path = source.resolve(directory, value);
        } catch (TagflowException notAPath) {
          continue;
        }
        if (path.isEmpty() || !root.exists(path)) {
          continue;
        }
        try {
          root.treeId(path);
          // Followed even inside a directory already read: its kustomization may lead further out.
          directories.push(path);
        } catch (TagflowException aFile) {
          if (path.endsWith(".yaml") || path.endsWith(".yml")) {
            // kubectl would spend minutes on an alias bomb in a resource; refuse it first.
            parser.checkLimits(path, parser.read(root, path, path));
          }
          if (!within(read, path)) {
            read.put(
                "f:" + path, Digest.of(new String(root.read(path), StandardCharsets.ISO_8859_1)));
          }
        }
      }
    }
    return read;
  }

  private List<ManifestParser.Document> build(
      RenderSource source,
      Revision revision,
      RepoCache repos,
      Iterable<String> read,
      String start) {
    Path kubectlPath =
        kubectl.orElseThrow(
            () ->
                TagflowException.invalidInput(
                    "'"
                        + source.shownPath()
                        + "' is a Kustomize overlay, and no kubectl is configured to build it;"
                        + " install kubectl or give its path (tagflow render --kubectl <path>;"
                        + " ./tagflow cluster build makes one)"));
    Path scratch = workspace.scratch();
    try {
      for (String entry : read) {
        String path = entry.substring(2);
        if (entry.startsWith("d:")) {
          Workspace.write(
              repos.tree(source.repoURL(), revision, path),
              scratch.resolve(path),
              (p, c) -> Map.of(p, c));
        } else {
          Path file = scratch.resolve(path);
          Files.createDirectories(file.getParent());
          Files.write(file, repos.tree(source.repoURL(), revision, "").read(path));
        }
      }
      String output = run(kubectlPath, scratch, start);
      String file =
          (start.isEmpty() ? "" : start + "/")
              + kustomization(repos.tree(source.repoURL(), revision, ""), start)
                  .map(f -> f.substring(f.lastIndexOf('/') + 1))
                  .orElse("kustomization.yaml");
      return this.output.parse(file, output);
    } catch (IOException e) {
      throw TagflowException.failed("cannot write the overlay to " + scratch + ": " + e, e);
    } finally {
      Workspace.delete(scratch);
    }
  }

  private String run(Path kubectlPath, Path scratch, String start) throws IOException {
    Path directory = start.isEmpty() ? scratch : scratch.resolve(start);
    Path stderr = scratch.resolve(".kubectl-stderr");
    Path stdout = scratch.resolve(".kubectl-stdout");
    Process process =
        new ProcessBuilder(kubectlPath.toString(), "kustomize", directory.toString())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw TagflowException.failed(
            "kubectl kustomize " + start + " did not finish within " + timeout.toSeconds() + " s");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw TagflowException.failed("interrupted while kubectl kustomize " + start + " ran", e);
    }
    if (process.exitValue() != 0) {
      String error =
          Files.readString(stderr)
              .strip()
              .replace(scratch.toString() + "/", "")
              .replace(scratch.toString(), ".");
      throw TagflowException.invalidInput(
          "kubectl kustomize " + (start.isEmpty() ? "." : start) + " failed: " + error);
    }
    return this.output.read(
        stdout, "the output of kubectl kustomize " + (start.isEmpty() ? "." : start));
  }

  private static Optional<String> kustomization(TreeReader root, String directory) {
    for (String name : KUSTOMIZATION_FILES) {
      String path = directory.isEmpty() ? name : directory + "/" + name;
      if (root.exists(path)) {
        return Optional.of(path);
      }
    }
    return Optional.empty();
  }

  private static boolean within(Map<String, String> read, String path) {
    for (String entry : read.keySet()) {
      String dir = entry.substring(2);
      if (entry.startsWith("d:")
          && (dir.isEmpty() || path.equals(dir) || path.startsWith(dir + "/"))) {
        return true;
      }
    }
    return false;
  }

  private static List<String> strings(JsonNode node, List<String> into) {
    if (node.isString()) {
      into.add(node.stringValue());
    } else if (node.isContainer()) {
      node.forEach(child -> strings(child, into));
    }
    return into;
  }
}
