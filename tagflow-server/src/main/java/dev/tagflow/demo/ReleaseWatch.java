package dev.tagflow.demo;

import dev.tagflow.TagflowException;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.local.registry.LocalRegistry;
import dev.tagflow.reconcile.ApplicationStatus;
import dev.tagflow.store.PromotionRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** Waits for what a release does and tells it: image, promotion commits, versions, rollbacks. */
final class ReleaseWatch {

  private final Narrator tell;
  private final DemoObserver observe;
  private final LocalRegistry registry;
  private final GitWorkTree environments;
  private final Duration timeout;

  ReleaseWatch(
      Narrator tell,
      DemoObserver observe,
      LocalRegistry registry,
      GitWorkTree environments,
      Duration timeout) {
    this.tell = tell;
    this.observe = observe;
    this.registry = registry;
    this.environments = environments;
    this.timeout = timeout;
  }

  /** The manifest the registry serves for the version, and its digest. */
  void showImage(String version) {
    tell.say(
        "registry: "
            + registry.address()
            + "/demo/web:"
            + version
            + " → "
            + registry
                .manifestDigest("demo/web", version)
                .orElseThrow(
                    () ->
                        TagflowException.failed(
                            "the demo stopped: the registry has no demo/web:" + version)));
  }

  void showPromotionCommits(String before) {
    environments.git("fetch", "-q", "origin");
    tell.command(
        "git log --oneline " + before.substring(0, 7) + "..origin/main   # in environments");
    environments
        .git("log", "--oneline", before + "..origin/main")
        .lines()
        .forEach(l -> tell.say(l));
    tell.command("git diff " + before.substring(0, 7) + " origin/main -- environments/dev");
    environments
        .git("diff", before, "origin/main", "--", "environments/dev")
        .lines()
        .filter(l -> l.startsWith("-  tag") || l.startsWith("+  tag") || l.startsWith("@@"))
        .forEach(l -> tell.say(l));
  }

  String envHead() {
    environments.git("fetch", "-q", "origin");
    return environments.git("rev-parse", "origin/main").strip();
  }

  /** Waits until the application is Synced and Healthy running the version; its commit. */
  String awaitRunning(String application, String version) {
    String env = application.substring("web-".length());
    tell.await(
        application + " Synced and Healthy with web " + version,
        timeout,
        () ->
            observe.status(application).map(ApplicationStatus::isReady).orElse(false)
                && observe.version(env).filter(version::equals).isPresent(),
        () -> observe.describe(application) + ", image " + observe.version(env).orElse("none"));
    String commit =
        observe
            .status(application)
            .flatMap(ApplicationStatus::deployed)
            .map(d -> d.revision().commit())
            .orElse("?");
    tell.say(
        application
            + ": Synced, Healthy, web "
            + version
            + " at "
            + commit.substring(0, Math.min(12, commit.length())));
    return commit;
  }

  void awaitRollback(String application, Instant since) {
    tell.await(
        "the health gate of " + application + " to roll it back",
        timeout,
        () ->
            observe.eventSeen(application, "RevertCommitted", since)
                || observe.eventSeen(application, "RevertFailed", since),
        () -> observe.describe(application) + "; " + observe.lastEvent(application));
    observe
        .events(
            application,
            Set.of(
                "HealthGateFailed",
                "RevisionBlocked",
                "RollbackStarted",
                "RolledBack",
                "RevertCommitted",
                "RevertFailed"),
            since)
        .forEach(e -> tell.say(application + " " + e.reason() + ": " + e.message()));
  }

  PromotionRecord awaitRequest(String environment, String version) {
    return tell.await(
        "the promotion request for " + environment,
        timeout,
        new Narrator.Probe<PromotionRecord>() {
          @Override
          public Optional<PromotionRecord> reached() {
            return observe.pending(environment, version);
          }

          @Override
          public String seen() {
            return "no request yet";
          }
        });
  }
}
