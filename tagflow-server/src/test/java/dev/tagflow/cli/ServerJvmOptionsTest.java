package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerJvmOptionsTest {

  @Test
  void theShippedFileChoosesACollectorASmallStartingHeapAndShrinkingAtOnce() {
    assertThat(ServerJvmOptions.read())
        .contains("-XX:+UseSerialGC", "-XX:-ShrinkHeapInSteps")
        .anyMatch(option -> option.startsWith("-Xms"))
        .anyMatch(option -> option.startsWith("-XX:TrimNativeHeapInterval="))
        .contains("-XX:+StartAttachListener")
        .allMatch(option -> option.startsWith("-"));
  }

  @Test
  void aServerJvmAnswersJcmdAfterAHelmRenderOnlyWithTheAttachListenerStartedAtOnce(
      @TempDir Path chart) throws Exception {
    Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: c\nversion: 0.1.0\n");
    Files.createDirectories(chart.resolve("templates"));
    Files.writeString(
        chart.resolve("templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n");

    assertThat(jcmdAfterRender(chart, ServerJvmOptions.read()))
        .as("jcmd Thread.print on a JVM with the shipped options")
        .contains("RenderThenWait.main");
    // Why the option is there: the Helm engine's Go runtime took SIGQUIT, jcmd's knock.
    assertThat(jcmdAfterRender(chart, List.of("-XX:+UseSerialGC")))
        .as("jcmd Thread.print on a JVM without the option")
        .contains("doesn't respond");
  }

  /** Starts a JVM that renders the chart and waits; what jcmd Thread.print says about it. */
  private static String jcmdAfterRender(Path chart, List<String> options) throws Exception {
    Path javaHome = Path.of(System.getProperty("java.home"));
    List<String> command = new ArrayList<>(List.of(javaHome.resolve("bin/java").toString()));
    command.addAll(options);
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            RenderThenWait.class.getName(),
            chart.toString()));
    Process jvm = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
      String line;
      do {
        line = out.readLine();
      } while (line != null && !line.equals("rendered"));
      assertThat(line).as("the JVM rendered the chart").isEqualTo("rendered");
      Process jcmd =
          new ProcessBuilder(
                  javaHome.resolve("bin/jcmd").toString(), Long.toString(jvm.pid()), "Thread.print")
              .redirectErrorStream(true)
              .start();
      String said = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      jcmd.waitFor();
      return said;
    } finally {
      jvm.destroyForcibly().waitFor();
    }
  }

  /** Renders a chart with the Helm engine as the controller does, then waits to be looked at. */
  static final class RenderThenWait {
    public static void main(String[] args) throws Exception {
      String rendered = new Helm(Path.of(args[0])).template().withName("r").call();
      if (!rendered.contains("name: r")) {
        throw new IllegalStateException("unexpected render: " + rendered);
      }
      System.out.println("rendered");
      System.out.flush();
      new CountDownLatch(1).await();
    }
  }

  @Test
  void readsWordsAsJavaReadsAnArgumentFileAndSkipsComments() {
    assertThat(
            ServerJvmOptions.parse(
                "# why\n-XX:+UseSerialGC   # the collector\n\n  -Xms16m -Xss512k\n#-Xmx1g\n"))
        .containsExactly("-XX:+UseSerialGC", "-Xms16m", "-Xss512k");
  }

  @Test
  void refusesAQuotedOptionItWouldNotUnquoteAsJavaDoes() {
    assertThatThrownBy(() -> ServerJvmOptions.parse("-Dname=\"a b\"\n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("quoted option");
  }
}
