package dev.tagflow.server.pipeline;

import dev.tagflow.TagflowException;
import dev.tagflow.app.Problem;
import dev.tagflow.pipeline.workflow.Workflow;
import dev.tagflow.pipeline.workflow.WorkflowLoader;
import dev.tagflow.pipeline.workflow.WorkflowSet;
import dev.tagflow.source.TreeReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The workflows of a repository's bare mirror at a commit.
 *
 * @param mirror the mirror's directory
 * @param name the repository's name in runs and messages ({@code owner/name})
 */
record MirrorWorkflows(Path mirror, String name) {

  /** Every workflow file at {@code commit}, read or refused. */
  WorkflowSet at(String commit) {
    try (Repository repository = open()) {
      return new WorkflowLoader().load(new TreeReader(repository, name, commit, ""));
    }
  }

  /**
   * The workflow at {@code file} at {@code commit}; an error with its problems if it is not one.
   */
  Workflow workflow(String commit, String file) {
    WorkflowSet set = at(commit);
    return set.workflows().stream()
        .filter(w -> w.file().equals(file))
        .findFirst()
        .orElseThrow(
            () ->
                TagflowException.invalidInput(
                    file
                        + " at "
                        + commit
                        + " cannot run: "
                        + set.problems().stream().map(Problem::toString).toList()));
  }

  /**
   * The one workflow whose path or file name is {@code file} at {@code commit} of {@code ref}; an
   * error naming the workflows there, or the file's problems, when there is none or several.
   */
  Workflow named(String ref, String commit, String file) {
    WorkflowSet set = at(commit);
    List<Workflow> named =
        set.workflows().stream()
            .filter(
                w ->
                    w.file().equals(file)
                        || Path.of(w.file()).getFileName().toString().equals(file))
            .toList();
    if (named.isEmpty()) {
      List<String> problems = problemsOf(set, file);
      throw TagflowException.invalidInput(
          "there is no workflow "
              + file
              + " at "
              + ref
              + " ("
              + commit
              + ") of "
              + name
              + (problems.isEmpty()
                  ? "; the workflows there: "
                      + set.workflows().stream().map(Workflow::file).toList()
                  : ": " + String.join("; ", problems)));
    }
    if (named.size() > 1) {
      throw TagflowException.invalidInput(
          "several workflows are named "
              + file
              + ": "
              + named.stream().map(Workflow::file).toList()
              + "; give the path");
    }
    return named.getFirst();
  }

  /** The commit {@code ref} points at in the mirror, if it is there. */
  Optional<String> resolve(String ref) {
    try (Repository repository = open()) {
      return Optional.ofNullable(repository.resolve(ref + "^{commit}")).map(id -> id.name());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve " + ref, e);
    }
  }

  /** The problems of the refused file at {@code file} (its path, or its name). */
  static List<String> problemsOf(WorkflowSet set, String file) {
    return set.refused().stream()
        .filter(
            r -> r.file().equals(file) || Path.of(r.file()).getFileName().toString().equals(file))
        .flatMap(r -> r.problems().stream())
        .map(Problem::toString)
        .toList();
  }

  private Repository open() {
    try {
      return new FileRepositoryBuilder().setGitDir(mirror.toFile()).setMustExist(true).build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the mirror " + mirror, e);
    }
  }
}
