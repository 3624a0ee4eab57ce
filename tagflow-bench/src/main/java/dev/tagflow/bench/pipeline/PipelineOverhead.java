package dev.tagflow.bench.pipeline;

import dev.tagflow.NodeText;
import dev.tagflow.PlainJson;
import dev.tagflow.bench.Figures;
import dev.tagflow.bench.server.TagflowServerProcess;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.promote.EnvRepoWriter;
import dev.tagflow.promote.EnvironmentHealth;
import dev.tagflow.promote.WriterOptions;
import dev.tagflow.server.git.HostedRepositories;
import dev.tagflow.server.pipeline.PipelineService;
import dev.tagflow.server.pipeline.RefLookup;
import dev.tagflow.server.pipeline.RunSecrets;
import dev.tagflow.source.RefChanged;
import dev.tagflow.source.RemoteAccess;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.store.RunRecord;
import dev.tagflow.store.StoreOptions;
import dev.tagflow.store.jdbc.JdbcStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * Bench command: the release pipeline's own overhead on loopback, apart from the user's steps — (a)
 * tag event to the first step's process started, (b) the last build step ended to the promotion
 * commit on the environment repository's main.
 *
 * <ul>
 *   <li>{@code server}: a real {@code tagflow server} process (this class path, default JVM
 *       options); each run is a {@code git push --tags} of a new tag to its Git server, and the
 *       environment repository is hosted by the same server, which the promote step pushes to over
 *       HTTP.
 *   <li>{@code direct}: a {@link PipelineService} in this JVM is handed the {@link RefChanged}
 *       itself (what the controller hands it once the mirror has the commit), and promotes into a
 *       bare repository on disk: the pipeline's scheduling without the Git server, the mirror's
 *       fetch and HTTP.
 * </ul>
 *
 * <p>Run: {@code java -cp 'tagflow-bench/target/tagflow-bench.jar:tagflow-bench/target/lib/*'
 * dev.tagflow.bench.pipeline.PipelineOverhead server|direct [runs=20] [warmup=3]}
 */
public final class PipelineOverhead {

  private static final String TOKEN = "tf_pipeline_bench_token_0123456789";

  private PipelineOverhead() {}

  /** The times of one measured run. */
  record Sample(
      Instant event,
      Instant pushReturned,
      Optional<Instant> pushReceived,
      Optional<Instant> refChanged,
      Optional<Instant> runLogged,
      Instant runStarted,
      Instant firstStep,
      Instant lastStep,
      Instant promoteStarted,
      Instant promoteFinished,
      Instant mainMoved) {

    Sample withServerLog(
        Optional<Instant> pushReceived, Optional<Instant> refChanged, Optional<Instant> runLogged) {
      return new Sample(
          event,
          pushReturned,
          pushReceived,
          refChanged,
          runLogged,
          runStarted,
          firstStep,
          lastStep,
          promoteStarted,
          promoteFinished,
          mainMoved);
    }
  }

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "server";
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    Path temp = Files.createTempDirectory("tagflow-bench-pipeline");
    String loadBefore = loadAverage();
    List<Sample> samples =
        switch (mode) {
          case "server" -> server(temp, runs, warmup);
          case "direct" -> direct(temp, runs, warmup);
          default ->
              throw new IllegalArgumentException("mode is server or direct, not '" + mode + "'");
        };
    print(mode, samples, warmup, loadBefore, loadAverage());
  }

  /** Pushes tags to a real {@code tagflow server} process. */
  private static List<Sample> server(Path temp, int runs, int warmup) throws Exception {
    Path data = Files.createDirectories(temp.resolve("data"));
    HostedRepositories hosted = new HostedRepositories(data.resolve("git"));
    hosted.create("app");
    Path envBare = hosted.create("env").directory();
    Path tokens = Files.writeString(temp.resolve("tokens"), TOKEN + "\n");
    try (TagflowServerProcess server =
        TagflowServerProcess.start(
            data,
            List.of(
                "--port",
                "0",
                "--git-token-file",
                tokens.toString(),
                "--kubeconfig",
                temp.resolve("no-cluster").toString(),
                "--poll-interval",
                "10m"),
            "server")) {
      String url = server.url();
      String withToken = url.replace("http://", "http://bench:" + TOKEN + "@");
      ReleaseMarks marks = new ReleaseMarks(temp.resolve("marks"));
      GitWorkTree.init(temp.resolve("env-work"))
          .write("environments/policy.yaml", ReleaseMarks.POLICY)
          .write("environments/dev/values.yaml", ReleaseMarks.VALUES)
          .commit("environments")
          .git("push", "-q", withToken + "/git/env.git", "main");
      GitWorkTree app =
          GitWorkTree.init(temp.resolve("app-work"))
              .write(".github/workflows/release.yml", marks.workflow(url + "/git/env.git"))
              .commit("release workflow");
      app.git("push", "-q", withToken + "/git/app.git", "main");
      try (JdbcStore store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(data)));
          BranchWatch main = new BranchWatch(envBare, "main")) {
        ServerLog log = new ServerLog(server.log());
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < warmup + runs; i++) {
          String tag = "v1." + i + ".0";
          app.git("tag", "-a", tag, "-m", "release " + tag);
          Instant pushed = Instant.now();
          app.git("push", "-q", "--tags", withToken + "/git/app.git");
          Instant returned = Instant.now();
          String ref = "refs/tags/" + tag;
          RunRecord run = awaitRun(store, ref, server::requireAlive);
          Sample sample = sample(run, tag, pushed, returned, marks, main);
          samples.add(
              sample.withServerLog(
                  log.pushReceived(ref), log.refChanged(ref), log.runStarted(ref)));
        }
        return samples;
      }
    }
  }

  /** Hands {@link RefChanged} events to a {@link PipelineService} in this JVM. */
  private static List<Sample> direct(Path temp, int runs, int warmup) throws Exception {
    Path data = Files.createDirectories(temp.resolve("data"));
    ReleaseMarks marks = new ReleaseMarks(temp.resolve("marks"));
    GitWorkTree env =
        GitWorkTree.init(temp.resolve("env-work"))
            .withOrigin(temp.resolve("env.git"))
            .write("environments/policy.yaml", ReleaseMarks.POLICY)
            .write("environments/dev/values.yaml", ReleaseMarks.VALUES)
            .commit("environments");
    env.git("push", "-q", "origin", "main");
    Path envBare = temp.resolve("env.git");
    Path appBare = temp.resolve("app.git");
    GitWorkTree app =
        GitWorkTree.init(temp.resolve("app-work"))
            .withOrigin(appBare)
            .write(".github/workflows/release.yml", marks.workflow(envBare.toString()))
            .commit("release workflow");
    app.git("push", "-q", "origin", "main");
    String url = "http://127.0.0.1/git/app.git";
    Function<String, Path> mirrors = u -> appBare;
    try (JdbcStore store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(data)));
        RemoteAccess remotes = RemoteAccess.anonymous(new SimpleMeterRegistry());
        EnvRepoWriter writer =
            new EnvRepoWriter(
                data.resolve("promote"),
                remotes,
                store.promotions(),
                EnvironmentHealth.unknown(),
                WriterOptions.defaults());
        PipelineService pipeline =
            new PipelineService(
                data,
                new PipelineService.Parts(
                    mirrors,
                    store.runs(),
                    store.builtImages(),
                    RunSecrets.NONE,
                    RefLookup.NONE,
                    Optional.of(writer)),
                4,
                4,
                Clock.systemUTC());
        BranchWatch main = new BranchWatch(envBare, "main")) {
      pipeline.start();
      List<Sample> samples = new ArrayList<>();
      for (int i = 0; i < warmup + runs; i++) {
        String tag = "v1." + i + ".0";
        app.git("tag", "-a", tag, "-m", "release " + tag);
        app.git("push", "-q", "origin", tag);
        String commit = app.head();
        Instant handed = Instant.now();
        pipeline.onRefChanged(
            new RefChanged(
                url,
                "refs/tags/" + tag,
                Optional.empty(),
                Optional.of(commit),
                RefChanged.Origin.GIT_SERVER,
                handed));
        RunRecord run = awaitRun(store, "refs/tags/" + tag, () -> {});
        samples.add(sample(run, tag, handed, handed, marks, main));
      }
      return samples;
    }
  }

  private static Sample sample(
      RunRecord run,
      String tag,
      Instant event,
      Instant pushReturned,
      ReleaseMarks marks,
      BranchWatch main)
      throws IOException, InterruptedException {
    JsonNode result = PlainJson.MAPPER.readTree(run.result().orElseThrow());
    if (run.status() != RunRecord.RunStatus.SUCCESS) {
      throw new IllegalStateException(
          "run " + run.runId() + " of " + tag + " " + run.status() + ": " + result);
    }
    JsonNode promote = promoteStep(result);
    String commit = NodeText.of(promote.path("outputs").path("dev-commit"));
    // The watch's notification may come a moment after the run was recorded finished.
    Instant deadline = Instant.now().plusSeconds(10);
    while (main.movedTo(commit).isEmpty() && Instant.now().isBefore(deadline)) {
      Thread.sleep(5);
    }
    return new Sample(
        event,
        pushReturned,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        run.started(),
        marks.firstStepStarted(tag),
        marks.lastStepEnded(tag),
        Instant.parse(NodeText.of(promote.path("started"))),
        Instant.parse(NodeText.of(promote.path("finished"))),
        main.movedTo(commit)
            .orElseThrow(
                () -> new IllegalStateException("main never seen at " + commit + " for " + tag)));
  }

  static JsonNode promoteStep(JsonNode result) {
    for (JsonNode job : result.path("jobs")) {
      if (NodeText.of(job.path("key")).equals("promote")) {
        return job.path("steps").path(0);
      }
    }
    throw new IllegalStateException("no promote job in " + result);
  }

  static RunRecord awaitRun(JdbcStore store, String ref, Runnable check)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (Instant.now().isBefore(deadline)) {
      check.run();
      for (RunRecord run : store.runs().latest(5)) {
        if (run.ref().equals(ref) && run.status().isEnded()) {
          return run;
        }
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("no finished run for " + ref + " within 2 minutes");
  }

  private static void print(
      String mode, List<Sample> all, int warmup, String loadBefore, String loadAfter) {
    List<Sample> samples = all.subList(Math.min(warmup, all.size()), all.size());
    System.out.printf(
        "pipeline overhead (%s), %d runs after %d warm-up; load average before %s, after %s%n",
        mode.equals("server")
            ? "tagflow server process, git push --tags to its Git server"
            : "RefChanged handed to PipelineService in this JVM",
        samples.size(),
        warmup,
        loadBefore,
        loadAfter);
    String event = mode.equals("server") ? "push start" : "RefChanged handed";
    line(
        "(a) " + event + " -> first step's process started",
        samples,
        s -> s.event(),
        s -> s.firstStep());
    if (mode.equals("server")) {
      line("      the git push process alone", samples, Sample::event, Sample::pushReturned);
    }
    if (mode.equals("server")) {
      // From the server's log, to the millisecond.
      line(
          "      push start -> push received (server log)",
          samples,
          Sample::event,
          s -> s.pushReceived().orElseThrow());
      line(
          "      push received -> RefChanged (server log)",
          samples,
          s -> s.pushReceived().orElseThrow(),
          s -> s.refChanged().orElseThrow());
      line(
          "      RefChanged -> run started (server log)",
          samples,
          s -> s.refChanged().orElseThrow(),
          s -> s.runLogged().orElseThrow());
    }
    line(
        "      " + event + " -> run recorded started",
        samples,
        s -> s.event(),
        s -> s.runStarted());
    line(
        "      run recorded started -> first step's process started",
        samples,
        s -> s.runStarted(),
        s -> s.firstStep());
    line(
        "(b) last step ended -> promotion commit on main",
        samples,
        s -> s.lastStep(),
        s -> s.mainMoved());
    line(
        "      last step ended -> promote step started",
        samples,
        s -> s.lastStep(),
        s -> s.promoteStarted());
    line(
        "      promote step started -> finished (pushed, outputs set)",
        samples,
        s -> s.promoteStarted(),
        s -> s.promoteFinished());
  }

  private static void line(
      String label,
      List<Sample> samples,
      Function<Sample, Instant> from,
      Function<Sample, Instant> to) {
    List<Double> millis =
        samples.stream()
            .map(s -> Duration.between(from.apply(s), to.apply(s)).toNanos() / 1e6)
            .toList();
    System.out.printf(
        "  %-58s median %7.1f ms   p90 %7.1f ms   max %7.1f ms%n",
        label, percentile(millis, 50), percentile(millis, 90), percentile(millis, 100));
  }

  static double percentile(List<Double> values, int percent) {
    return Figures.percentile(values, percent);
  }

  static String loadAverage() {
    return Figures.loadAverage();
  }
}
