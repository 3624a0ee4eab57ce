package dev.tagflow.cli;

import dev.tagflow.TagflowException;
import dev.tagflow.secret.SecretScope;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --project <name>} or {@code --repo <name>}: whose secret a verb means. */
final class SecretScopeOption {

  @Option(
      names = "--project",
      paramLabel = "<name>",
      description = "A project's secret: every repository of the project sees it.")
  String project;

  @Option(
      names = "--repo",
      paramLabel = "<name>",
      description = "A repository's secret: only its workflows see it, before the project's.")
  String repository;

  /** The scope given, if any; both at once is an error. */
  Optional<SecretScope> optional() {
    if (project != null && repository != null) {
      throw TagflowException.invalidInput("give --project or --repo, not both");
    }
    if (project != null) {
      return Optional.of(new SecretScope.Project(project));
    }
    return Optional.ofNullable(repository).map(SecretScope.Repository::new);
  }

  /** The scope given, which the verb needs. */
  SecretScope required() {
    return optional()
        .orElseThrow(
            () ->
                TagflowException.invalidInput(
                    "say whose secret it is: --project <name> or --repo <name>"));
  }
}
