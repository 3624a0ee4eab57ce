package dev.tagflow.pipeline.workflow;

import java.util.Objects;
import java.util.Optional;

/** What a step's {@code uses:} names; the forms Tagflow refuses never become one. */
public sealed interface ActionRef {

  /** The text as written in {@code uses:}. */
  String uses();

  /**
   * An action Tagflow runs itself.
   *
   * @param ref the version asked for ({@code v4}); Tagflow's built-in serves every version
   */
  record BuiltIn(BuiltInAction action, Optional<String> ref, String uses) implements ActionRef {
    public BuiltIn {
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(ref, "ref");
    }
  }

  /**
   * A composite or JavaScript action in the repository being run, {@code ./.github/actions/x}.
   *
   * @param path relative to the workspace, without the leading {@code ./}
   */
  record Local(String path, String uses) implements ActionRef {}

  /**
   * A composite or JavaScript action fetched from the actions source: {@code
   * owner/repo[/path]@ref}.
   *
   * @param path the directory of the action inside the repository, {@code ""} for its root
   */
  record Remote(String owner, String repo, String path, String ref, String uses)
      implements ActionRef {

    /** {@code owner/repo}. */
    public String repository() {
      return owner + "/" + repo;
    }
  }
}
