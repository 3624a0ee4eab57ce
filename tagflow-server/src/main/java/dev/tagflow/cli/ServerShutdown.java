package dev.tagflow.cli;

import dev.tagflow.server.ControllerService;
import dev.tagflow.server.Observability;
import dev.tagflow.server.TagflowDaemon;
import dev.tagflow.server.config.HangupSignal;
import dev.tagflow.server.config.SettingsWatcher;
import dev.tagflow.server.metrics.ServerMeters;
import dev.tagflow.server.pipeline.PipelineService;
import dev.tagflow.source.GitPoller;
import dev.tagflow.source.RemoteAccess;
import dev.tagflow.source.RepoCache;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stops {@code tagflow server}'s parts in order: the sources of work first, the stores last. */
record ServerShutdown(
    Optional<HangupSignal> hangup,
    Optional<SettingsWatcher> watcher,
    ScheduledExecutorService registryWatch,
    GitPoller poller,
    TagflowDaemon daemon,
    PipelineService pipeline,
    ControllerService controller,
    Observability observability,
    ServerMeters jvmMeters,
    RepoCache cache,
    RemoteAccess remotes) {

  private static final Logger log = LoggerFactory.getLogger(ServerShutdown.class);

  /** How long a stop waits for running reconciles to end their current step. */
  private static final Duration GRACE = Duration.ofSeconds(20);

  /** Runs {@link #stop} when the JVM is asked to stop (Ctrl-C, SIGTERM), then counts down. */
  void installHook(CountDownLatch stopped) {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stop();
                  stopped.countDown();
                },
                "tagflow-shutdown"));
  }

  /** Stops every part, letting running syncs and runs end within the grace. */
  void stop() {
    // Stop the sources first, so no new work arrives while the controller ends.
    hangup.ifPresent(HangupSignal::close);
    watcher.ifPresent(SettingsWatcher::close);
    registryWatch.shutdownNow();
    poller.close();
    daemon.close();
    // Running runs are cancelled (process trees killed) and recorded interrupted.
    pipeline.close(GRACE.dividedBy(2));
    controller.close(GRACE);
    observability.close();
    jvmMeters.close();
    cache.close();
    remotes.close();
    log.info("Tagflow server stopped");
  }
}
