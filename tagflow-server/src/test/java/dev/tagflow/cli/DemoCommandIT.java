package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.process.ComponentProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandIT {

  @TempDir Path data;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @AfterEach
  void stopTheDemo() {
    LocalCluster.stop(data.resolve("clusters/demo-it"));
  }

  @Test
  void theDemoSyncsTheApplicationFromGitThenRollsOutThePromotedVersion() {
    int code =
        Main.run(
            new String[] {"demo", "--name", "demo-it", "--data-dir", data.toString()},
            new PrintWriter(out, true),
            new PrintWriter(err, true));

    assertThat(code).as(err.toString()).isEqualTo(ExitCode.OK);
    String shown = out.toString();
    assertThat(shown)
        .contains("[1/6] local Kubernetes cluster 'demo-it'")
        .contains("synced: 4 created")
        .contains("-        image: 127.0.0.1:")
        .contains("synced: 2 configured, 1 unchanged")
        .contains("health: Healthy");
    String podsTable = shown.substring(shown.indexOf("[6/6]"));
    assertThat(podsTable.lines().filter(line -> line.contains("Running")))
        .hasSize(2)
        .allSatisfy(line -> assertThat(line).endsWith("/demo/web:1.1.0"));

    List<ComponentProcess> running = LocalCluster.componentsIn(data.resolve("clusters/demo-it"));
    assertThat(running).extracting(ComponentProcess::name).contains("docker-registry", "kwok");
    assertThat(
            Main.run(
                new String[] {
                  "cluster", "down", "--name", "demo-it", "--data-dir", data.toString()
                },
                new PrintWriter(out, true),
                new PrintWriter(err, true)))
        .isEqualTo(ExitCode.OK);
    assertThat(running).noneMatch(ComponentProcess::isAlive);
  }
}
