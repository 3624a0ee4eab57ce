package dev.tagflow.pipeline.run;

import dev.tagflow.DirectoryRemoval;
import dev.tagflow.UrlRedaction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.transport.URIish;

/**
 * The built-in {@code actions/checkout}: the run's commit (or {@code with.ref}) of the repository
 * the run came from, fetched with JGit into the workspace or {@code with.path} inside it, detached
 * at the commit. {@code fetch-depth} is accepted and the clone is whole (it is a local copy of the
 * repository cache's); another {@code repository} is refused.
 */
final class Checkout {

  /** Inputs accepted; the ones GitHub has for credentials and progress change nothing here. */
  private static final Set<String> KNOWN =
      Set.of(
          "repository",
          "ref",
          "path",
          "fetch-depth",
          "fetch-tags",
          "clean",
          "persist-credentials",
          "token",
          "show-progress",
          "lfs",
          "submodules",
          "set-safe-directory");

  private Checkout() {}

  /**
   * Checks out and returns a line saying what; unknown inputs are named in the failure.
   *
   * @throws StepFailure what could not be checked out, and why
   */
  static String run(
      Map<String, String> with,
      Path workspace,
      String repositoryUrl,
      String repository,
      String commit) {
    for (String input : with.keySet()) {
      if (!KNOWN.contains(input)) {
        throw new StepFailure(
            "actions/checkout has no input '" + input + "' (known: " + KNOWN + ")");
      }
    }
    String asked = with.getOrDefault("repository", "");
    if (!asked.isEmpty() && !asked.equalsIgnoreCase(repository)) {
      throw new StepFailure(
          "actions/checkout of another repository ("
              + asked
              + ") is not supported yet by this runner; only the run's own repository");
    }
    if (!with.getOrDefault("submodules", "false").equals("false")
        || with.getOrDefault("lfs", "false").equals("true")) {
      throw new StepFailure(
          "actions/checkout with submodules or lfs is not supported yet by this runner");
    }
    Path target = inside(workspace, with.getOrDefault("path", ""));
    try {
      if (Files.exists(target)) {
        clear(target);
      }
      Files.createDirectories(target);
      try (Git git = Git.init().setDirectory(target.toFile()).setInitialBranch("main").call()) {
        git.remoteAdd().setName("origin").setUri(new URIish(repositoryUrl)).call();
        git.fetch()
            .setRemote("origin")
            .setRefSpecs("+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*")
            .call();
        String ref = with.getOrDefault("ref", "");
        ObjectId id = git.getRepository().resolve(ref.isEmpty() ? commit : ref + "^{commit}");
        if (id == null && !ref.isEmpty()) {
          id = git.getRepository().resolve("refs/remotes/origin/" + ref + "^{commit}");
        }
        if (id == null) {
          throw new StepFailure(
              "actions/checkout: "
                  + (ref.isEmpty() ? "commit " + commit : "ref '" + ref + "'")
                  + " is not in "
                  + UrlRedaction.redact(repositoryUrl));
        }
        // Detached at the commit, as GitHub's checkout of a tag leaves it.
        RefUpdate head = git.getRepository().updateRef(Constants.HEAD, true);
        head.setNewObjectId(id);
        head.forceUpdate();
        git.reset().setMode(ResetCommand.ResetType.HARD).setRef(id.name()).call();
        return "checked out " + id.name() + " into " + workspace.relativize(target);
      }
    } catch (GitAPIException | IOException | java.net.URISyntaxException | RuntimeException e) {
      if (e instanceof StepFailure failure) {
        throw failure;
      }
      throw new StepFailure(
          "actions/checkout of "
              + UrlRedaction.redact(repositoryUrl)
              + " failed: "
              + UrlRedaction.redact(String.valueOf(e.getMessage())));
    }
  }

  /** A path of the workspace, refusing one that leaves it. */
  static Path inside(Path workspace, String path) {
    Path resolved = workspace.resolve(path).normalize();
    if (!resolved.startsWith(workspace)) {
      throw new StepFailure("path '" + path + "' leaves the workspace; give a path inside it");
    }
    return resolved;
  }

  private static void clear(Path directory) throws IOException {
    DirectoryRemoval.clear(directory);
  }
}
