package dev.tagflow.cli;

import dev.tagflow.TagflowException;
import dev.tagflow.demo.DemoSetup;
import dev.tagflow.demo.DemoStory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tagflow demo}: Tagflow's whole flow on the built-in local setup — a tag pushed to the
 * server's own Git server is tested, built, pushed as an image and promoted to dev, staging and,
 * once approved, production; a release that never becomes ready is rolled back; drift is healed.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the demo: a local cluster, registry and tagflow server with its own Git server; an app",
      "repository whose v1.0.0 tag is tested, built, pushed and promoted to dev, staging and",
      "(approved) production; v1.1.0 rolled back by the health gate; drift healed; a summary.",
      "Everything it started stops at the end (or on Ctrl-C) unless --keep-running."
    })
final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin LocalClusterOptions cluster;

  @Option(
      names = "--keep-running",
      description =
          "Keep the cluster, registry and server running after the summary, until Ctrl-C.")
  boolean keepRunning;

  @Override
  public Integer call() throws InterruptedException {
    if ("local".equals(cluster.name)) {
      cluster.name = "demo";
    }
    cluster.stateDir(); // checks the name
    PrintWriter out = spec.commandLine().getOut();
    Path javaHome = Path.of(System.getProperty("java.home"));
    requireTools(javaHome);
    DemoSetup setup = new DemoSetup(cluster.dataDir.resolve(), cluster.name);
    // Ctrl-C (or SIGTERM) stops every process the demo started, wherever the story is.
    Thread stopOnSignal =
        new Thread(
            () -> {
              out.println();
              out.println("Stopping the demo's processes ...");
              out.flush();
              setup.close();
            },
            "demo-stop");
    Runtime.getRuntime().addShutdownHook(stopOnSignal);
    DemoStory story =
        new DemoStory(out, setup, cluster.name, serverJava(javaHome), args -> indented(args, out));
    try {
      try {
        story.play();
      } catch (TagflowException stopped) {
        // What the server was doing when the story stopped waiting, for the bug report.
        try {
          out.println("The server's threads when the demo stopped: " + setup.serverThreadDump());
        } catch (TagflowException noDump) {
          out.println("The server's threads when the demo stopped: " + noDump.getMessage());
        }
        throw stopped;
      }
      if (keepRunning) {
        story.keepRunningHints(new KubectlFinder().find().map(Path::toString).orElse("kubectl"));
        out.flush();
        new CountDownLatch(1).await();
      }
    } finally {
      story.closeClients();
      setup.close();
      try {
        Runtime.getRuntime().removeShutdownHook(stopOnSignal);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C: the hook runs and stops everything anyway.
      }
    }
    out.println();
    out.println("The demo stopped everything it started. Run it again: make demo");
    if (!keepRunning) {
      out.println(
          "To look around in the web UI and with kubectl before it stops: ./tagflow demo"
              + " --keep-running");
    }
    return ExitCode.OK;
  }

  /** Runs a tagflow command in this process, its output (and errors) indented into the story. */
  private static int indented(List<String> args, PrintWriter out) {
    StringWriter said = new StringWriter();
    int code;
    try (PrintWriter to = new PrintWriter(said)) {
      code = Main.run(args.toArray(String[]::new), to, to);
    }
    said.toString().lines().forEach(line -> out.println("    " + line));
    out.flush();
    return code;
  }

  /**
   * The JDK and git the demo's release workflow and pushes need, named with how to install them.
   */
  private static void requireTools(Path javaHome) {
    if (!Files.isExecutable(javaHome.resolve("bin/javac"))) {
      throw TagflowException.invalidInput(
          "the demo's release workflow compiles Java, but "
              + javaHome
              + " is a JRE without javac: install a JDK 21+ (apt-get install temurin-21-jdk or"
              + " openjdk-21-jdk) and set JAVA_HOME to it");
    }
    String path = System.getenv().getOrDefault("PATH", "");
    if (java.util.Arrays.stream(path.split(":"))
        .noneMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "git")))) {
      throw TagflowException.invalidInput(
          "the demo pushes with the git command, which is not on the PATH: apt-get install git");
    }
  }

  /** {@code java} with this JVM's class path, its JDK as the release workflow's JAVA_HOME. */
  private static List<String> serverJava(Path javaHome) {
    List<String> command =
        new ArrayList<>(
            List.of("env", "JAVA_HOME=" + javaHome, javaHome.resolve("bin/java").toString()));
    // The server's own options, as ./tagflow server starts it; the demo's fleet is small.
    command.addAll(ServerJvmOptions.read());
    command.addAll(List.of("-Xmx512m", "-cp", System.getProperty("java.class.path")));
    return command;
  }
}
