package dev.tagflow.bench.source;

import dev.tagflow.source.RemoteAccess;
import dev.tagflow.source.RepoCache;
import dev.tagflow.source.Revision;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
 * Resolve {@code ^1} over ten tags and read one file of a 10,000-file repository from its mirror:
 * warm (one RepoCache reused, its repository open) and cold (a new RepoCache on the mirror that is
 * already on disk, so open + resolve + read, no fetch).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ResolveAndReadBenchmark {

  Path root;
  String origin;
  Path mirrors;
  RepoCache warm;
  SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    root = Files.createTempDirectory("tagflow-bench-read");
    origin = root.resolve("origin.git").toString();
    GeneratedRepository.create(root.resolve("origin.git"), 100, 100);
    mirrors = root.resolve("repos");
    warm = new RepoCache(mirrors, RemoteAccess.anonymous(meters), meters, Clock.systemUTC());
    warm.fetch(origin);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    warm.close();
    FileUtils.delete(root.toFile(), FileUtils.RECURSIVE);
  }

  @Benchmark
  public String warm() {
    return resolveAndRead(warm);
  }

  @Benchmark
  public String cold() {
    try (RepoCache cold =
        new RepoCache(mirrors, RemoteAccess.anonymous(meters), meters, Clock.systemUTC())) {
      return resolveAndRead(cold);
    }
  }

  private String resolveAndRead(RepoCache cache) {
    Revision revision = cache.resolve(origin, "^1");
    return cache.tree(origin, revision, "d042").readString("f017.yaml");
  }
}
