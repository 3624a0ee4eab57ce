package dev.tagflow.pipeline.run;

import dev.tagflow.TagflowException;
import dev.tagflow.pipeline.action.ActionSource;
import dev.tagflow.pipeline.action.FetchedAction;
import dev.tagflow.pipeline.workflow.ActionDefinition;
import dev.tagflow.pipeline.workflow.ActionLoader;
import dev.tagflow.pipeline.workflow.ActionRef;
import dev.tagflow.pipeline.workflow.Step;
import dev.tagflow.pipeline.workflow.StepAction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The composite and JavaScript actions of one job: the remote ones fetched and read before its
 * first step (with the remote actions their composite steps use, to {@link #MAX_DEPTH} levels), so
 * a Docker action or a missing ref fails the job before anything ran; local ones read from the
 * workspace when their step comes, as GitHub does (they exist only after the checkout).
 */
final class JobActions {

  /** GitHub's limit of composite actions within composite actions. */
  static final int MAX_DEPTH = 10;

  /** An action ready to run: where its files are and what its {@code action.yml} says. */
  record Loaded(
      String uses,
      Path directory,
      ActionDefinition definition,
      String commit,
      java.util.Optional<String> stale) {}

  private final ActionSource source;
  private final ActionLoader loader = new ActionLoader();
  private final Map<String, Loaded> remote = new ConcurrentHashMap<>();

  JobActions(ActionSource source) {
    this.source = source;
  }

  /**
   * Fetches and reads every remote action the steps use, their nested ones included.
   *
   * @throws StepFailure naming the action and what is wrong with it
   */
  void prepare(List<Step> steps, JobState job) {
    prepare(steps, job, 1);
  }

  private void prepare(List<Step> steps, JobState job, int depth) {
    for (Step step : steps) {
      if (step.action() instanceof StepAction.Uses uses
          && uses.action() instanceof ActionRef.Remote r
          && !remote.containsKey(r.uses())) {
        if (depth > MAX_DEPTH) {
          throw new StepFailure(
              "the action "
                  + r.uses()
                  + " is nested more than "
                  + MAX_DEPTH
                  + " composite actions deep (GitHub's limit too)");
        }
        Loaded loaded = fetch(r);
        job.log(
            -1,
            "action "
                + r.uses()
                + " at "
                + loaded.commit()
                + " ("
                + kind(loaded.definition())
                + ")"
                + loaded
                    .stale()
                    .map(why -> "; the actions source cannot be reached, the cached commit is used")
                    .orElse(""));
        if (loaded.definition().runs() instanceof ActionDefinition.Composite c) {
          prepare(c.steps(), job, depth + 1);
        }
      }
    }
  }

  /** A remote action prepared before, or fetched now. */
  Loaded remote(ActionRef.Remote ref) {
    Loaded loaded = remote.get(ref.uses());
    return loaded != null ? loaded : fetch(ref);
  }

  private Loaded fetch(ActionRef.Remote ref) {
    FetchedAction fetched;
    try {
      fetched = source.fetch(ref.owner(), ref.repo(), ref.path(), ref.ref());
    } catch (TagflowException e) {
      throw new StepFailure(e.getMessage());
    }
    Loaded loaded =
        new Loaded(
            ref.uses(),
            fetched.directory(),
            read(fetched.directory(), ref.uses(), fetched.directory()),
            fetched.commit(),
            fetched.stale());
    remote.put(ref.uses(), loaded);
    return loaded;
  }

  /** A local action, {@code ./path} in the workspace; a link may not lead out of the workspace. */
  Loaded local(ActionRef.Local ref, Path workspace) {
    Path directory = Checkout.inside(workspace, ref.path());
    try {
      Path real = directory.toRealPath();
      if (!real.startsWith(workspace.toRealPath())) {
        throw new StepFailure(
            "the local action " + ref.uses() + " is a link leading out of the workspace");
      }
      directory = real;
    } catch (IOException e) {
      throw new StepFailure(
          "the local action "
              + ref.uses()
              + " is not in the workspace: "
              + ref.path()
              + " does not exist (check out the repository first with actions/checkout)");
    }
    return new Loaded(
        ref.uses(),
        directory,
        read(directory, ref.uses(), workspace),
        "",
        java.util.Optional.empty());
  }

  private ActionDefinition read(Path directory, String uses, Path within) {
    for (String name : ActionLoader.FILES) {
      Path file = directory.resolve(name);
      if (!Files.exists(file)) {
        continue;
      }
      try {
        if (!file.toRealPath().startsWith(within.toRealPath())) {
          throw new StepFailure(uses + "/" + name + " is a link leading out of the action");
        }
        loader.checkSize(uses + "/" + name, Files.size(file));
        return loader.load(uses + "/" + name, Files.readAllBytes(file));
      } catch (IOException e) {
        throw new StepFailure("cannot read " + uses + "/" + name + ": " + e.getMessage());
      } catch (TagflowException e) {
        throw new StepFailure(e.getMessage());
      }
    }
    throw new StepFailure(
        "the action "
            + uses
            + " has no action.yml or action.yaml in "
            + (directory.equals(within) ? "its directory" : within.relativize(directory)));
  }

  static String kind(ActionDefinition definition) {
    return switch (definition.runs()) {
      case ActionDefinition.Composite c -> "composite";
      case ActionDefinition.Node n -> n.using();
    };
  }
}
