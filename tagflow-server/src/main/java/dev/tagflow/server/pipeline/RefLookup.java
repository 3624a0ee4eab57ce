package dev.tagflow.server.pipeline;

import dev.tagflow.pipeline.workflow.RefPush;

/** Finds, for a manual run, the repository a user names and the tag or branch of it. */
@FunctionalInterface
public interface RefLookup {

  /** Nothing can be found: a server without repositories. */
  RefLookup NONE =
      (repository, ref) -> {
        throw dev.tagflow.TagflowException.invalidInput(
            "no repository named '" + repository + "' is known to this server");
      };

  /**
   * The repository and the ref, fetched when needed.
   *
   * @param repository a name ({@code tagflow repo add}'s, or of the server's Git server) or a URL
   * @param ref a tag or branch name, or a full {@code refs/tags/…} / {@code refs/heads/…}
   * @throws dev.tagflow.TagflowException naming what was not found and how to list what there is
   */
  Target find(String repository, String ref);

  /**
   * A ref of a repository, resolved.
   *
   * @param url the repository's URL, as ref events name it
   * @param push the tag or branch
   * @param commit the commit it names now
   */
  record Target(String url, RefPush push, String commit) {}
}
