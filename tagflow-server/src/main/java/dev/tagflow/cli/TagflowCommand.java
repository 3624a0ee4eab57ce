package dev.tagflow.cli;

import dev.tagflow.TagflowVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The top-level {@code tagflow} command: lists the verbs. */
@Command(
    name = "tagflow",
    mixinStandardHelpOptions = true,
    versionProvider = TagflowCommand.Version.class,
    description = "Tag-driven GitOps delivery for Kubernetes.",
    subcommands = {
      DemoCommand.class,
      ClusterCommand.class,
      ServerCommand.class,
      GitCommand.class,
      RepoCommand.class,
      SecretCommand.class,
      RunsCommand.class,
      ReleasesCommand.class,
      RenderCommand.class,
      DiffCommand.class,
      SyncCommand.class,
      PromoteCommand.class,
      ApprovalsCommand.class,
      WorkflowCommand.class,
      TokenCommand.class,
      UserCommand.class,
      AuditCommand.class
    })
final class TagflowCommand implements Runnable {

  @Spec CommandSpec spec;

  @Option(
      names = "--debug",
      description = "Show stack traces of failures.",
      scope = ScopeType.INHERIT)
  boolean debug;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Tells picocli our version. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"tagflow " + TagflowVersion.current()};
    }
  }
}
