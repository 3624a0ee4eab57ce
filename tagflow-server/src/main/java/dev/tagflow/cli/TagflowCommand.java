package dev.tagflow.cli;

import dev.tagflow.TagflowVersion;
import java.util.List;
import java.util.function.Predicate;
import picocli.CommandLine;
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
    description = "Tag-driven GitOps delivery for Kubernetes.")
final class TagflowCommand implements Runnable {

  /**
   * The verbs, in the order {@code tagflow --help} lists them. Registered by {@link #commandLine}
   * rather than by {@code @Command(subcommands = ...)}, so that a command line builds (and loads
   * the classes of) only the verb it names: a new verb is one more class here.
   */
  static final List<Class<?>> VERBS =
      List.of(
          DemoCommand.class,
          ClusterCommand.class,
          ServerCommand.class,
          LoginCommand.class,
          LogoutCommand.class,
          ContextCommand.class,
          AppCommand.class,
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
          AuditCommand.class,
          CompletionCommand.class);

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

  /**
   * The command line for {@code args}. The verb they name gets its full model, built from its
   * annotations (and its objects created); every other verb only its name and description, read
   * from its {@code @Command} without building anything, which is all that {@code --help}, {@code
   * --version} and the error for an unknown verb need. An argument file ({@code @file}) may name
   * any verb, so it gets every verb in full.
   */
  static CommandLine commandLine(String[] args) {
    String named = verbNamed(args);
    boolean argumentFile = List.of(args).stream().anyMatch(arg -> arg.startsWith("@"));
    return commandLine(
        command ->
            argumentFile
                || command.name().equals(named)
                || List.of(command.aliases()).contains(named));
  }

  /** The command line with every verb built: what a completion script describes. */
  static CommandLine everyVerb() {
    return commandLine(command -> true);
  }

  private static CommandLine commandLine(Predicate<Command> built) {
    CommandLine commandLine = new CommandLine(new TagflowCommand());
    for (Class<?> verb : VERBS) {
      Command command = verb.getAnnotation(Command.class);
      if (built.test(command)) {
        commandLine.addSubcommand(verb);
      } else {
        CommandSpec outline = CommandSpec.create().name(command.name()).aliases(command.aliases());
        outline.usageMessage().description(command.description()).hidden(command.hidden());
        commandLine.addSubcommand(outline);
      }
    }
    return commandLine;
  }

  /** The first argument that is not an option: the verb, since no option of ours takes a value. */
  private static String verbNamed(String[] args) {
    for (String arg : args) {
      if (!arg.startsWith("-")) {
        return arg;
      }
      if (arg.equals("--")) {
        break;
      }
    }
    return "";
  }

  /** Tells picocli our version. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"tagflow " + TagflowVersion.current()};
    }
  }
}
