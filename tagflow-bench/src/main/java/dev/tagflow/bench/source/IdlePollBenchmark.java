package dev.tagflow.bench.source;

import dev.tagflow.source.GitPoller;
import dev.tagflow.source.RefChanged;
import dev.tagflow.source.RefTracker;
import dev.tagflow.source.RemoteAccess;
import dev.tagflow.source.RepoCache;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Random;
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
 * One poll of a 10,000-file repository in which nothing moved; at the end it prints how many
 * ls-remotes and fetches the polls cost (goal: one ls-remote and no fetch per poll).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class IdlePollBenchmark {

  Path root;
  String origin;
  SimpleMeterRegistry meters;
  RepoCache cache;
  GitPoller poller;
  long polls;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    root = Files.createTempDirectory("tagflow-bench-poll");
    origin = root.resolve("origin.git").toString();
    GeneratedRepository.create(root.resolve("origin.git"), 100, 100);
    meters = new SimpleMeterRegistry();
    RemoteAccess remotes = RemoteAccess.anonymous(meters);
    cache = new RepoCache(root.resolve("repos"), remotes, meters, Clock.systemUTC());
    poller =
        new GitPoller(
            new RefTracker(remotes, meters, Clock.systemUTC()),
            cache,
            GitPoller.Options.DEFAULTS,
            new Random(1));
    poller.poll(origin); // the baseline and first fetch, not measured
    meters.clear();
  }

  @Benchmark
  public List<RefChanged> poll() {
    polls++;
    return poller.poll(origin);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    double lsRemotes =
        meters.find("tagflow.source.lsremote").counters().stream()
            .mapToDouble(c -> c.count())
            .sum();
    long fetches =
        meters.find("tagflow.source.fetch").timers().stream().mapToLong(Timer::count).sum();
    System.out.printf(
        "%n[idle poll] polls=%d ls-remotes=%.0f fetches=%d (per poll: %.2f ls-remote, %.2f fetch)%n",
        polls, lsRemotes, fetches, lsRemotes / polls, (double) fetches / polls);
    poller.close();
    cache.close();
    FileUtils.delete(root.toFile(), FileUtils.RECURSIVE);
  }
}
