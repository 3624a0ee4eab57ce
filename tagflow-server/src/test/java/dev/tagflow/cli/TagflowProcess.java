package dev.tagflow.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of {@code tagflow} as a process of its own, for tests that start or kill it. */
final class TagflowProcess {

  private TagflowProcess() {}

  /**
   * {@code tagflow args…} with the product's logging, its standard output and error into those
   * files. Integration tests run the jar {@code ./tagflow} runs ({@code -Dtagflow.jar}, set by
   * failsafe after the package phase built it), so that they test the one jar users get; unit
   * tests, which run before that jar is built, run this test's class path.
   */
  static ProcessBuilder of(List<String> args, Path out, Path err) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx384m");
    command.add("-XX:TieredStopAtLevel=1");
    String jar = System.getProperty("tagflow.jar", "");
    if (jar.isEmpty()) {
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    } else {
      if (!Files.isRegularFile(Path.of(jar))) {
        throw new IllegalStateException("-Dtagflow.jar=" + jar + " is missing; run mvn verify");
      }
      command.addAll(List.of("-jar", jar));
    }
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("TAGFLOW_LOG_LEVEL");
    return builder.redirectOutput(out.toFile()).redirectError(err.toFile());
  }

  private static final java.util.regex.Pattern LISTENING =
      java.util.regex.Pattern.compile("listening on (https?://\\S+)");

  /**
   * The URL a started {@code tagflow server} says it listens on, once it says so; fails with its
   * error output when it exits first.
   */
  static java.net.URI listening(Process server, Path out, Path err) throws Exception {
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(120))
        .until(
            () ->
                LISTENING.matcher(java.nio.file.Files.readString(out)).find() || !server.isAlive());
    org.assertj.core.api.Assertions.assertThat(server.isAlive())
        .as(java.nio.file.Files.readString(err))
        .isTrue();
    java.util.regex.Matcher matcher = LISTENING.matcher(java.nio.file.Files.readString(out));
    org.assertj.core.api.Assertions.assertThat(matcher.find()).isTrue();
    return java.net.URI.create(matcher.group(1));
  }
}
