package dev.tagflow.cli;

import dev.tagflow.server.ServerConfig;
import dev.tagflow.server.git.HostedRepositories;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tagflow git create|list|set}: the repositories of the built-in Git server. They work on
 * the data directory itself, so they need no running server and no token; a running server serves a
 * new repository at once.
 */
@Command(
    name = "git",
    mixinStandardHelpOptions = true,
    description = "Manage the repositories of Tagflow's built-in Git server.",
    subcommands = {GitCommand.Create.class, GitCommand.ListRepos.class, GitCommand.Set.class})
final class GitCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Options every {@code git} verb shares. */
  static final class Common {
    @Mixin DataDirOption dataDir;

    @Option(
        names = "--server-url",
        paramLabel = "<url>",
        defaultValue = "http://" + ServerConfig.DEFAULT_HOST + ":" + ServerConfig.DEFAULT_PORT,
        description = "The server's URL, for the clone URLs shown (default: ${DEFAULT-VALUE}).")
    String serverUrl;

    HostedRepositories repositories() {
      return new HostedRepositories(dataDir.resolve().resolve("git"));
    }

    String cloneUrl(String name) {
      String base =
          serverUrl.endsWith("/") ? serverUrl.substring(0, serverUrl.length() - 1) : serverUrl;
      return base + "/git/" + name + ".git";
    }
  }

  /** {@code tagflow git create <name>}. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create an empty repository served at /git/<name>.git.")
  static final class Create implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Common common;

    @Parameters(paramLabel = "<name>", description = "Letters, digits, '.', '_' and '-'.")
    String name;

    @Option(
        names = "--anonymous-read",
        description = "Anyone may clone and fetch it without a token (default: a token is needed).")
    boolean anonymousRead;

    @Override
    public Integer call() {
      HostedRepositories.HostedRepository created =
          common.repositories().create(name, anonymousRead);
      PrintWriter out = spec.commandLine().getOut();
      out.println("Created " + created.directory());
      out.println("Clone URL: " + common.cloneUrl(created.name()));
      out.println(
          anonymousRead
              ? "Anyone may clone and fetch it; pushing needs a token."
              : "Cloning, fetching and pushing need a token from the git-tokens file.");
      return ExitCode.OK;
    }
  }

  /** {@code tagflow git list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the repositories and their clone URLs.")
  static final class ListRepos implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Common common;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      HostedRepositories repositories = common.repositories();
      for (HostedRepositories.HostedRepository repo : repositories.list()) {
        out.println(
            repo.name()
                + "\t"
                + common.cloneUrl(repo.name())
                + "\t"
                + (repositories.allowsAnonymousRead(repo.name()) ? "anonymous-read" : "token"));
      }
      return ExitCode.OK;
    }
  }

  /** {@code tagflow git set <name> --anonymous-read=true|false}. */
  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description = "Change a repository's settings; a running server applies them at once.")
  static final class Set implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Common common;

    @Parameters(paramLabel = "<name>", description = "The repository, as 'tagflow git list' shows.")
    String name;

    @Option(
        names = "--anonymous-read",
        required = true,
        arity = "1",
        paramLabel = "true|false",
        description = "Whether anyone may clone and fetch it without a token.")
    boolean anonymousRead;

    @Override
    public Integer call() {
      common.repositories().setAnonymousRead(name, anonymousRead);
      spec.commandLine()
          .getOut()
          .println(
              name
                  + (anonymousRead
                      ? ": anyone may clone and fetch it now; pushing still needs a token"
                      : ": cloning and fetching need a token now"));
      return ExitCode.OK;
    }
  }
}
