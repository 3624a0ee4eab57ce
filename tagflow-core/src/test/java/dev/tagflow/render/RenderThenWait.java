package dev.tagflow.render;

import dev.tagflow.source.Revision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A program that renders a chart, says so, and waits to be stopped; for ShutdownSignalsTest. */
public final class RenderThenWait {

  private RenderThenWait() {}

  public static void main(String[] args) throws Exception {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("shutdown hook ran")));
    Path root = Files.createDirectories(Path.of(args[0]));
    try (GitFixture repo = new GitFixture(root, Optional.empty())) {
      repo.copy("render/charts/hooks", "chart");
      Revision revision = repo.commit("chart");
      int objects =
          repo.render(
                  new RenderSource("web", repo.url(), "chart", "main", SourceKind.Helm.ofChart()),
                  revision,
                  HelmRenderTest.TARGET)
              .size();
      System.out.println("rendered " + objects);
      System.out.flush();
      // Waits for a signal; the test ends it.
      new java.util.concurrent.CountDownLatch(1).await();
    } finally {
      Files.writeString(root.resolve("done"), "left main");
    }
  }
}
