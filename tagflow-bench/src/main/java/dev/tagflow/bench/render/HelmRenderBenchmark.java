package dev.tagflow.bench.render;

import dev.tagflow.render.Capabilities;
import dev.tagflow.render.ChartRef;
import dev.tagflow.render.Manifest;
import dev.tagflow.render.RenderOptions;
import dev.tagflow.render.RenderSource;
import dev.tagflow.render.RenderTarget;
import dev.tagflow.render.Renderer;
import dev.tagflow.render.SourceKind;
import dev.tagflow.source.RemoteAccess;
import dev.tagflow.source.RepoCache;
import dev.tagflow.source.Revision;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
 * One application whose chart renders 50 objects, with one values file of its environment: {@code
 * cold} renders every time (a renderer without cache: resolve the chart's revision, read the trees,
 * digest the values, run the Helm engine, parse and validate), {@code cached} is answered from the
 * cache (the same reads to build the key, then copies of the cached objects).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HelmRenderBenchmark {

  static final RenderTarget TARGET = new RenderTarget("shop", Capabilities.offline("v1.37.2"));

  Path root;
  RepoCache repos;
  Renderer uncached;
  Renderer cached;
  Revision revision;
  RenderSource source;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    // One INFO line per render is right for a controller, but it would measure the console here.
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.tagflow"))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    root = Files.createTempDirectory("tagflow-bench-render");
    String origin = ChartRepository.create(root.resolve("origin"), 1).toString();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    repos =
        new RepoCache(
            root.resolve("repos"), RemoteAccess.anonymous(meters), meters, Clock.systemUTC());
    repos.fetch(origin);
    revision = repos.resolve(origin, "main");
    uncached =
        new Renderer(
            repos,
            new RenderOptions(
                root.resolve("uncached"), Optional.empty(), 0, java.time.Duration.ofMinutes(1)),
            meters);
    cached =
        new Renderer(
            repos, RenderOptions.defaults(root.resolve("cached"), Optional.empty()), meters);
    source = source(origin, "envs/app-0000");
    int objects = cached.render(source, revision, TARGET).size();
    if (objects != 50) {
      throw new IllegalStateException("the bench chart rendered " + objects + " objects, not 50");
    }
  }

  static RenderSource source(String origin, String environment) {
    return new RenderSource(
        environment.substring(environment.lastIndexOf('/') + 1),
        origin,
        environment,
        "main",
        new SourceKind.Helm(
            Optional.of(new ChartRef(origin, "charts/web", "main")),
            List.of("values.yaml"),
            Optional.empty(),
            Optional.empty()));
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    uncached.close();
    cached.close();
    repos.close();
    FileUtils.delete(root.toFile(), FileUtils.RECURSIVE);
  }

  @Benchmark
  public List<Manifest> cold() {
    return uncached.render(source, revision, TARGET);
  }

  @Benchmark
  public List<Manifest> cached() {
    return cached.render(source, revision, TARGET);
  }
}
