package dev.tagflow.demo;

import dev.tagflow.TagflowException;
import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.local.registry.LocalRegistry;
import dev.tagflow.reconcile.ApplicationStatus;
import dev.tagflow.reconcile.StoredStatuses;
import dev.tagflow.server.auth.AdminToken;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.store.PromotionRecord;
import dev.tagflow.store.RunRecord;
import dev.tagflow.store.Store;
import dev.tagflow.store.StoreOptions;
import dev.tagflow.store.jdbc.JdbcStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The demo's flow, chapter by chapter: the local setup, the two repositories, {@code v1.0.0} from
 * tag to production, {@code v1.1.0} rolled back, drift healed, and a summary. Each chapter waits
 * for what it shows and fails, naming it, when it does not come.
 */
public final class DemoStory {

  /** The environments, in the order a release goes through them. */
  public static final List<String> ENVIRONMENTS = List.of("dev", "staging", "production");

  /** The release manager who approves production, as the policy's role asks. */
  static final String RELEASE_MANAGER = "dana";

  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(6);
  private static final Duration SYNC_TIMEOUT = Duration.ofMinutes(4);

  private final Narrator tell;
  private final DemoSetup setup;
  private final String clusterName;
  private final List<String> javaCommand;
  private final Function<List<String>, Integer> tagflow;

  private LocalRegistry registry;
  private URI server;
  private String environmentsUrl;
  private GitWorkTree app;
  private GitWorkTree environments;
  private DemoObserver observe;
  private DemoRepositories repos;
  private ReleaseWatch watch;

  /**
   * @param javaCommand how to start Tagflow's JVM for the server: java, options, class path
   * @param tagflow runs a {@code tagflow} command in this process, answering its exit code
   */
  public DemoStory(
      PrintWriter out,
      DemoSetup setup,
      String clusterName,
      List<String> javaCommand,
      Function<List<String>, Integer> tagflow) {
    this.tell = new Narrator(out);
    this.setup = setup;
    this.clusterName = clusterName;
    this.javaCommand = List.copyOf(javaCommand);
    this.tagflow = tagflow;
  }

  /** The chapters, in the order they are played. */
  public enum Chapter {
    LOCAL_SETUP,
    REPOSITORIES,
    FIRST_RELEASE,
    PRODUCTION_APPROVED,
    ROLLED_BACK,
    DRIFT_HEALED,
    SUMMARY
  }

  /** Told after each chapter, so a test can check what it did before the next one starts. */
  public interface Checkpoints {
    void after(Chapter chapter);
  }

  /** Plays every chapter; the processes stay up until the setup is closed. */
  public void play() {
    play(chapter -> {});
  }

  /** Plays every chapter, telling {@code checkpoints} after each. */
  public void play(Checkpoints checkpoints) {
    startTheLocalSetup();
    checkpoints.after(Chapter.LOCAL_SETUP);
    createTheRepositories();
    checkpoints.after(Chapter.REPOSITORIES);
    releaseTheFirstVersion();
    checkpoints.after(Chapter.FIRST_RELEASE);
    approveProduction();
    checkpoints.after(Chapter.PRODUCTION_APPROVED);
    releaseAVersionThatNeverBecomesReady();
    checkpoints.after(Chapter.ROLLED_BACK);
    healDrift();
    checkpoints.after(Chapter.DRIFT_HEALED);
    summary();
    checkpoints.after(Chapter.SUMMARY);
  }

  // --- what a test reads between chapters

  /** The server's store: runs, statuses, events, promotion requests. */
  public Store store() {
    return observe == null ? null : observe.store();
  }

  public StoredStatuses statuses() {
    return observe.statuses();
  }

  /** The work tree of the environment repository, origin the server's. */
  public GitWorkTree environments() {
    return environments;
  }

  public LocalRegistry registry() {
    return registry;
  }

  public KubernetesClient kubernetes() {
    return observe.kubernetes();
  }

  private void startTheLocalSetup() {
    tell.chapter("The local setup: a Kubernetes cluster, an OCI registry and tagflow server");
    List<?> stopped = setup.clean();
    if (!stopped.isEmpty()) {
      tell.say("stopped " + stopped.size() + " processes an earlier demo left running");
    }
    registry = setup.startRegistry();
    tell.say(
        "registry      "
            + registry.url()
            + " (Debian's docker-registry, pid "
            + registry.process().pid()
            + ")");
    String badImage = registry.address() + "/demo/web:1.1.0";
    setup.startCluster(clusterName, List.of(badImage), line -> tell.say("  " + line));
    tell.say("cluster       '" + clusterName + "', kubeconfig " + setup.kubeconfig());
    tell.say(
        "              (simulated nodes; pods of " + badImage + " will run but never be Ready)");

    Path token = setup.writeToken();
    Path settings = setup.home().resolve("tagflow.yaml");
    tell.command("tagflow server --config " + settings);
    server =
        setup.startServer(
            javaCommand,
            port -> {
              environmentsUrl = "http://127.0.0.1:" + port + "/git/environments.git";
              DemoFiles.write(
                  settings,
                  DemoFiles.text(
                      "tagflow.yaml",
                      Map.of(
                          "PORT",
                          "" + port,
                          "TOKEN_FILE",
                          token.toString(),
                          "KUBECONFIG",
                          setup.kubeconfig().toString(),
                          "ENVIRONMENTS_URL",
                          environmentsUrl)));
              return settings;
            });
    tell.say(
        "tagflow server "
            + server
            + " (pid "
            + setup.server().orElseThrow().pid()
            + ", log "
            + setup.server().orElseThrow().log()
            + ")");
    observe =
        new DemoObserver(
            JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(setup.serverData()))),
            LocalCluster.newClient(setup.kubeconfig()));
  }

  private void createTheRepositories() {
    repos = new DemoRepositories(tell, setup, server);
    tell.chapter("Two repositories on tagflow's own Git server");
    repos.create("app");
    repos.create("environments");
    Map<String, String> values =
        Map.of("REGISTRY", registry.address(), "ENVIRONMENTS_URL", environmentsUrl);

    environments = repos.workTree("environments");
    DemoFiles.copy("environments", DemoFiles.ENVIRONMENTS, values, environments);
    environments.commit("environments: the web chart, dev, staging and production, their policy");
    repos.push(environments, "main");
    watch = new ReleaseWatch(tell, observe, registry, environments, SYNC_TIMEOUT);
    tell.say("environments: helm-charts/app, environments/{dev,staging,production}/values.yaml,");
    tell.say(
        "              environments/policy.yaml (dev, staging: automatic; production: approval)");
    tell.say("              apps/web-{dev,staging,production}.yaml, the Applications");

    app = repos.workTree("app");
    DemoFiles.copy("app", DemoFiles.APP, values, app);
    app.commit("web: a small Java web service and its release workflow");
    repos.push(app, "main");
    tell.say(
        "app:          src/ (a Java web service and its unit test), .github/workflows/release.yml");
    tell.say("              (on a v* tag: unit tests, jar, tagflow/image, tagflow/promote)");

    for (String env : ENVIRONMENTS) {
      String name = "web-" + env;
      tell.await(
          "the controller to find " + name + " in apps/ and sync it",
          SYNC_TIMEOUT,
          () -> observe.status(name).map(ApplicationStatus::isReady).orElse(false),
          () -> observe.describe(name));
      tell.say(name + ": " + observe.describe(name) + " (no release yet: only its Service)");
    }
  }

  private void releaseTheFirstVersion() {
    tell.chapter("A developer tags v1.0.0 and pushes it");
    String before = watch.envHead();
    repos.tag(app, "v1.0.0", "web 1.0.0");
    RunRecord run = new RunFollower(tell, observe, RUN_TIMEOUT).follow("v1.0.0");
    watch.showImage("1.0.0");
    watch.showPromotionCommits(before);
    for (String env : List.of("dev", "staging")) {
      watch.awaitRunning("web-" + env, "1.0.0");
    }
    PromotionRecord request = watch.awaitRequest("production", "1.0.0");
    tell.say(
        "production: promotion request "
            + request.id()
            + " for web v"
            + request.draft().version()
            + " waits for "
            + request.draft().requiredApprovals()
            + " approval by a "
            + String.join(" or ", request.draft().roles())
            + " (branch "
            + request.draft().promotionBranch()
            + ")");
    tell.say(
        "production runs "
            + observe.version("production").map(v -> "web " + v).orElse("nothing yet")
            + ": v1.0.0 waits for the approval (run "
            + run.runId()
            + " "
            + run.status()
            + ")");
  }

  private void approveProduction() {
    tell.chapter("The release manager approves v1.0.0 for production");
    PromotionRecord request = observe.pending("production", "1.0.0").orElseThrow();
    registerEnvironments();
    cli("approvals", "list");
    cli(
        "approvals",
        "approve",
        "" + request.id(),
        "--as",
        RELEASE_MANAGER,
        "--role",
        "release-manager");
    watch.awaitRunning("web-production", "1.0.0");
  }

  private void releaseAVersionThatNeverBecomesReady() {
    tell.chapter("v1.1.0: a release whose pods never become ready");
    tell.say("its /healthz answers 503 (the simulated cluster keeps pods of its image unready)");
    app.write(
        "src/main/java/demo/web/WebServer.java",
        DemoFiles.text("app/src/main/java/demo/web/WebServer.java", Map.of())
            .replace(
                "answer(exchange, 200, \"ok\\n\")",
                "answer(exchange, 503, \"still starting\\n\")"));
    app.commit("web: a readiness check that never passes");
    repos.push(app, "main");
    String before = watch.envHead();
    Instant pushed = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    repos.tag(app, "v1.1.0", "web 1.1.0");
    new RunFollower(tell, observe, RUN_TIMEOUT).follow("v1.1.0");
    watch.showImage("1.1.0");
    watch.showPromotionCommits(before);
    for (String env : List.of("dev", "staging")) {
      watch.awaitRollback("web-" + env, pushed);
    }
    environments.git("fetch", "-q", "origin");
    tell.command("git log --oneline -4 origin/main   # in the environment repository");
    environments.git("log", "--oneline", "-4", "origin/main").lines().forEach(l -> tell.say(l));
    for (String env : List.of("dev", "staging")) {
      watch.awaitRunning("web-" + env, "1.0.0");
    }
    observe
        .pending("production", "1.1.0")
        .ifPresent(
            request ->
                cli(
                    "approvals",
                    "reject",
                    "" + request.id(),
                    "--as",
                    RELEASE_MANAGER,
                    "--role",
                    "release-manager",
                    "--reason",
                    "1.1.0 never became ready in dev and staging"));
  }

  private void healDrift() {
    tell.chapter("Someone edits production's Deployment by hand");
    tell.command("kubectl -n web-production scale deployment web --replicas=5");
    Instant edited = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    observe
        .kubernetes()
        .apps()
        .deployments()
        .inNamespace("web-production")
        .withName("web")
        .scale(5);
    tell.await(
        "self-heal to put Git's 3 replicas back",
        SYNC_TIMEOUT,
        () ->
            observe
                    .deployment("production")
                    .map(d -> d.getSpec().getReplicas() == 3 && d.getMetadata().getGeneration() > 1)
                    .orElse(false)
                && observe.eventSeen("web-production", "DriftHealed", edited)
                // The heal's sync ends before the status says Healthy again: wait for that too.
                && observe.status("web-production").map(ApplicationStatus::isReady).orElse(false),
        () ->
            "replicas "
                + observe
                    .deployment("production")
                    .map(d -> "" + d.getSpec().getReplicas())
                    .orElse("?")
                + "; "
                + observe.lastEvent("web-production"));
    observe
        .events("web-production", Set.of("DriftDetected", "DriftHealed"), edited)
        .forEach(e -> tell.say(e.reason() + ": " + e.message()));
  }

  private void summary() {
    tell.chapter("Summary");
    tell.say(
        String.format(
            "%-12s %-9s %-9s %-8s %s", "ENVIRONMENT", "VERSION", "HEALTH", "SYNC", "COMMIT"));
    for (String env : ENVIRONMENTS) {
      Optional<ApplicationStatus> status = observe.status("web-" + env);
      tell.say(
          String.format(
              "%-12s %-9s %-9s %-8s %s",
              env,
              observe.version(env).orElse("-"),
              status.map(s -> s.health().health().displayName()).orElse("?"),
              status.map(s -> s.sync().status().displayName()).orElse("?"),
              status
                  .flatMap(ApplicationStatus::deployed)
                  .map(d -> d.revision().commit().substring(0, 12))
                  .orElse("-")));
    }
    // Each image the runs pushed, by digest, and the environments whose Release runs it.
    cli("releases");
    tell.say("");
    tell.say("web UI        " + server.resolve("/ui") + "  (the board: what runs where, live)");
    tell.say(
        "admin token   " + adminToken() + "  (log in with it; also in " + adminTokenFile() + ")");
    tell.say("the demo took " + tell.sinceStart());
  }

  /** The server's admin token file, written at its first start (mode 600). */
  public Path adminTokenFile() {
    return setup.serverData().resolve(AdminToken.FILE);
  }

  /**
   * The admin token of the demo's server, printed in the summary as the issue asks: it is a local
   * demo's token, made new by every demo and useless once the demo stops.
   */
  String adminToken() {
    try {
      return Files.readString(adminTokenFile()).strip();
    } catch (IOException e) {
      throw TagflowException.failed(
          "the demo stopped: no admin token in " + adminTokenFile() + ": " + e.getMessage(), e);
    }
  }

  /** The server's URL. */
  public URI server() {
    return server;
  }

  /**
   * Prints how to look around while the demo keeps running.
   *
   * @param kubectl the kubectl command (the one built with the control plane when none is on the
   *     PATH)
   */
  public void keepRunningHints(String kubectl) {
    tell.say("");
    tell.say("Everything keeps running until Ctrl-C:");
    tell.say("  open " + server.resolve("/ui") + " and log in with the admin token above");
    tell.say("  " + kubectl + " --kubeconfig " + setup.kubeconfig() + " get deploy,pods -A");
    tell.say(
        "  git clone "
            + environmentsUrl
            + "   (token in "
            + setup.home().resolve("git-token")
            + ")");
    tell.say("  ./tagflow runs list --data-dir " + setup.serverData());
  }

  // --- what the chapters use

  /** The environment repository for 'tagflow approvals', with the demo's token. */
  private void registerEnvironments() {
    cli(
        "repo",
        "add",
        environmentsUrl,
        "--name",
        "environments",
        "--token-file",
        setup.home().resolve("git-token").toString());
  }

  private void cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    tell.command("tagflow " + String.join(" ", all));
    all.add("--data-dir");
    all.add(setup.serverData().toString());
    int code = tagflow.apply(all);
    if (code != 0) {
      throw TagflowException.failed(
          "the demo stopped: 'tagflow " + String.join(" ", args) + "' exited with " + code);
    }
  }

  /** Closes what the story opened (the store, the cluster client); the processes stay. */
  public void closeClients() {
    if (observe != null) {
      observe.close();
    }
  }
}
