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
 * {@code tagflow git create|list}: the repositories of the built-in Git server. They work on the
 * data directory itself, so they need no running server and no token; a running server serves a new
 * repository at once.
 */
@Command(
    name = "git",
    mixinStandardHelpOptions = true,
    description = "Manage the repositories of Tagflow's built-in Git server.",
    subcommands = {GitCommand.Create.class, GitCommand.ListRepos.class})
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

    @Override
    public Integer call() {
      HostedRepositories.HostedRepository created = common.repositories().create(name);
      PrintWriter out = spec.commandLine().getOut();
      out.println("Created " + created.directory());
      out.println("Clone URL: " + common.cloneUrl(created.name()));
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
      for (HostedRepositories.HostedRepository repo : common.repositories().list()) {
        out.println(repo.name() + "\t" + common.cloneUrl(repo.name()));
      }
      return ExitCode.OK;
    }
  }
}
