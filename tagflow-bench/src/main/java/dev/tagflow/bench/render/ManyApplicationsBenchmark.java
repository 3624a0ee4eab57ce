package dev.tagflow.bench.render;

import dev.tagflow.render.RenderOptions;
import dev.tagflow.render.RenderRequest;
import dev.tagflow.render.RenderResult;
import dev.tagflow.render.Renderer;
import dev.tagflow.source.RemoteAccess;
import dev.tagflow.source.RepoCache;
import dev.tagflow.source.Revision;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.util.FileUtils;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * 1,000 applications sharing one 50-object chart, each with its own values file: the time to render
 * all of them once ({@code cold}, no cache) and again from the cache ({@code cached}), on one
 * thread, as {@link Renderer#renderAll} does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ManyApplicationsBenchmark {

  static final int APPLICATIONS = 1000;

  Path root;
  RepoCache repos;
  Renderer uncached;
  Renderer cached;
  List<RenderRequest> requests = new ArrayList<>();
  SimpleMeterRegistry cachedMeters = new SimpleMeterRegistry();

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    // One INFO line per render is right for a controller, but it would measure the console here.
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.tagflow"))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    root = Files.createTempDirectory("tagflow-bench-many");
    String origin = ChartRepository.create(root.resolve("origin"), APPLICATIONS).toString();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    repos =
        new RepoCache(
            root.resolve("repos"), RemoteAccess.anonymous(meters), meters, Clock.systemUTC());
    repos.fetch(origin);
    Revision revision = repos.resolve(origin, "main");
    for (int i = 0; i < APPLICATIONS; i++) {
      requests.add(
          new RenderRequest(
              HelmRenderBenchmark.source(origin, String.format("envs/app-%04d", i)),
              revision,
              HelmRenderBenchmark.TARGET));
    }
    uncached =
        new Renderer(
            repos,
            new RenderOptions(root.resolve("uncached"), Optional.empty(), 0, Duration.ofMinutes(1)),
            meters);
    cached =
        new Renderer(
            repos, RenderOptions.defaults(root.resolve("cached"), Optional.empty()), cachedMeters);
    check(cached.renderAll(requests));
  }

  private static int check(List<RenderResult> results) {
    int objects = 0;
    for (RenderResult result : results) {
      if (!(result instanceof RenderResult.Rendered rendered)) {
        throw new IllegalStateException(((RenderResult.Failed) result).message());
      }
      objects += rendered.manifests().size();
    }
    return objects;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    System.out.printf(
        "%ncached renderer: hits=%.0f misses=%.0f%n",
        cachedMeters.get("tagflow.render.cache").tag("result", "hit").counter().count(),
        cachedMeters.get("tagflow.render.cache").tag("result", "miss").counter().count());
    uncached.close();
    cached.close();
    repos.close();
    FileUtils.delete(root.toFile(), FileUtils.RECURSIVE);
  }

  @Benchmark
  public int cold() {
    return check(uncached.renderAll(requests));
  }

  @Benchmark
  public int cached() {
    return check(cached.renderAll(requests));
  }
}
