package dev.tagflow.demo;

import dev.tagflow.TagflowException;
import dev.tagflow.health.Health;
import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.local.registry.LocalRegistry;
import dev.tagflow.reconcile.ApplicationStatus;
import dev.tagflow.reconcile.StoredStatuses;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.store.Event;
import dev.tagflow.store.PromotionRecord;
import dev.tagflow.store.PromotionRecord.PromotionState;
import dev.tagflow.store.RunRecord;
import dev.tagflow.store.Store;
import dev.tagflow.store.StoreOptions;
import dev.tagflow.store.jdbc.JdbcStore;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
  private Store store;
  private StoredStatuses statuses;
  private KubernetesClient kube;
  private final Map<String, String> releasedCommits = new LinkedHashMap<>();

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
    return store;
  }

  public StoredStatuses statuses() {
    return statuses;
  }

  /** The work tree of the environment repository, origin the server's. */
  public GitWorkTree environments() {
    return environments;
  }

  public LocalRegistry registry() {
    return registry;
  }

  public KubernetesClient kubernetes() {
    return kube;
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
    kube = LocalCluster.newClient(setup.kubeconfig());

    int port = DemoSetup.freePort(DemoSetup.FIRST_SERVER_PORT);
    environmentsUrl = "http://127.0.0.1:" + port + "/git/environments.git";
    Path token = setup.writeToken();
    Path settings = setup.home().resolve("tagflow.yaml");
    write(
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
    tell.command("tagflow server --config " + settings);
    server = setup.startServer(javaCommand, settings, port);
    tell.say(
        "tagflow server "
            + server
            + " (pid "
            + setup.server().orElseThrow().pid()
            + ", log "
            + setup.server().orElseThrow().log()
            + ")");
    store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(setup.serverData())));
    statuses = new StoredStatuses(store);
  }

  private void createTheRepositories() {
    tell.chapter("Two repositories on tagflow's own Git server");
    createRepository("app");
    createRepository("environments");
    Map<String, String> values =
        Map.of("REGISTRY", registry.address(), "ENVIRONMENTS_URL", environmentsUrl);

    environments = workTree("environments");
    DemoFiles.copy("environments", DemoFiles.ENVIRONMENTS, values, environments);
    environments.commit("environments: the web chart, dev, staging and production, their policy");
    push(environments, "main");
    tell.say("environments: helm-charts/app, environments/{dev,staging,production}/values.yaml,");
    tell.say(
        "              environments/policy.yaml (dev, staging: automatic; production: approval)");
    tell.say("              apps/web-{dev,staging,production}.yaml, the Applications");

    app = workTree("app");
    DemoFiles.copy("app", DemoFiles.APP, values, app);
    app.commit("web: a small Java web service and its release workflow");
    push(app, "main");
    tell.say(
        "app:          src/ (a Java web service and its unit test), .github/workflows/release.yml");
    tell.say("              (on a v* tag: unit tests, jar, tagflow/image, tagflow/promote)");

    for (String env : ENVIRONMENTS) {
      String name = "web-" + env;
      tell.await(
          "the controller to find " + name + " in apps/ and sync it",
          SYNC_TIMEOUT,
          () -> status(name).map(ApplicationStatus::isReady).orElse(false),
          () -> describe(name));
      tell.say(name + ": " + describe(name) + " (no release yet: only its Service)");
    }
  }

  private void releaseTheFirstVersion() {
    tell.chapter("A developer tags v1.0.0 and pushes it");
    String before = envHead();
    tag(app, "v1.0.0", "web 1.0.0");
    RunRecord run = followRun("v1.0.0");
    showImage("1.0.0");
    showPromotionCommits(before);
    for (String env : List.of("dev", "staging")) {
      String commit = awaitRunning("web-" + env, "1.0.0");
      releasedCommits.put(env, commit);
    }
    PromotionRecord request = awaitRequest("production", "1.0.0");
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
        "production runs no Deployment yet: "
            + (deployment("production").isEmpty() ? "none" : "one?!")
            + "; run "
            + run.runId()
            + " "
            + run.status());
  }

  private void approveProduction() {
    tell.chapter("The release manager approves v1.0.0 for production");
    PromotionRecord request = pending("production", "1.0.0").orElseThrow();
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
    releasedCommits.put("production", awaitRunning("web-production", "1.0.0"));
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
    push(app, "main");
    String before = envHead();
    Instant pushed = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    tag(app, "v1.1.0", "web 1.1.0");
    followRun("v1.1.0");
    showImage("1.1.0");
    showPromotionCommits(before);
    for (String env : List.of("dev", "staging")) {
      awaitRollback("web-" + env, pushed);
    }
    environments.git("fetch", "-q", "origin");
    tell.command("git log --oneline -4 origin/main   # in the environment repository");
    environments.git("log", "--oneline", "-4", "origin/main").lines().forEach(l -> tell.say(l));
    for (String env : List.of("dev", "staging")) {
      releasedCommits.put(env, awaitRunning("web-" + env, "1.0.0"));
    }
    pending("production", "1.1.0")
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
    kube.apps().deployments().inNamespace("web-production").withName("web").scale(5);
    tell.await(
        "self-heal to put Git's 3 replicas back",
        SYNC_TIMEOUT,
        () ->
            deployment("production")
                    .map(d -> d.getSpec().getReplicas() == 3 && d.getMetadata().getGeneration() > 1)
                    .orElse(false)
                && eventSeen("web-production", "DriftHealed", edited),
        () ->
            "replicas "
                + deployment("production").map(d -> "" + d.getSpec().getReplicas()).orElse("?")
                + "; "
                + lastEvent("web-production"));
    events("web-production", Set.of("DriftDetected", "DriftHealed"), edited)
        .forEach(e -> tell.say(e.reason() + ": " + e.message()));
  }

  private void summary() {
    tell.chapter("Summary");
    tell.say(
        String.format(
            "%-12s %-9s %-9s %-8s %s", "ENVIRONMENT", "VERSION", "HEALTH", "SYNC", "COMMIT"));
    for (String env : ENVIRONMENTS) {
      Optional<ApplicationStatus> status = status("web-" + env);
      tell.say(
          String.format(
              "%-12s %-9s %-9s %-8s %s",
              env,
              version(env).orElse("-"),
              status.map(s -> s.health().health().displayName()).orElse("?"),
              status.map(s -> s.sync().status().displayName()).orElse("?"),
              status
                  .flatMap(ApplicationStatus::deployed)
                  .map(d -> d.revision().commit().substring(0, 12))
                  .orElse("-")));
    }
    tell.say("the demo took " + tell.sinceStart());
  }

  /** Prints how to look around while the demo keeps running. */
  public void keepRunningHints() {
    tell.say("");
    tell.say("Everything keeps running until Ctrl-C:");
    tell.say("  kubectl --kubeconfig " + setup.kubeconfig() + " get deploy,pods -A");
    tell.say(
        "  git clone "
            + environmentsUrl
            + "   (token in "
            + setup.home().resolve("git-token")
            + ")");
    tell.say("  ./tagflow runs list --data-dir " + setup.serverData());
  }

  // --- what the chapters use

  private void createRepository(String name) {
    tell.command(
        "curl -X POST -H 'Authorization: Bearer …' -d '{\"name\":\""
            + name
            + "\"}' "
            + server
            + "/api/repos");
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(server.resolve("/api/repos"))
                  .header("Authorization", "Bearer " + setup.token())
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() / 100 != 2) {
        throw TagflowException.failed(
            "the demo stopped: POST /api/repos "
                + name
                + " answered "
                + answer.statusCode()
                + ": "
                + answer.body());
      }
      tell.say("created " + server + "/git/" + name + ".git");
    } catch (IOException e) {
      throw TagflowException.failed(
          "the demo stopped: POST /api/repos failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TagflowException.failed("the demo was interrupted");
    }
  }

  /** A work tree whose origin is the server's repository; the token is in a credential file. */
  private GitWorkTree workTree(String name) {
    GitWorkTree tree = GitWorkTree.init(setup.home().resolve("work").resolve(name));
    Path credentials = setup.home().resolve("git-credentials");
    write(credentials, "http://tagflow:" + setup.token() + "@" + server.getAuthority() + "\n");
    tree.git("config", "credential.helper", "store --file=" + credentials);
    tree.git("remote", "add", "origin", server + "/git/" + name + ".git");
    return tree;
  }

  private void push(GitWorkTree tree, String ref) {
    tell.command("git push origin " + ref + "   # in " + tree.directory().getFileName());
    tree.git("push", "-q", "origin", ref);
  }

  private void tag(GitWorkTree tree, String tag, String message) {
    tell.command("git tag -a " + tag + " -m '" + message + "'");
    tree.git("tag", "-a", tag, "-m", message);
    push(tree, tag);
  }

  /** Shows the run of the tag's workflow as it goes, line by line, until it ends. */
  private RunRecord followRun(String tag) {
    String ref = "refs/tags/" + tag;
    RunRecord started =
        tell.await(
            "tagflow server to start the release workflow for " + tag,
            RUN_TIMEOUT,
            new Narrator.Probe<RunRecord>() {
              @Override
              public Optional<RunRecord> reached() {
                return run(ref);
              }

              @Override
              public String seen() {
                return "no run yet";
              }
            });
    tell.say(
        "run "
            + started.runId()
            + " of "
            + started.workflow()
            + " at "
            + started.commit().substring(0, 12)
            + ":");
    Path log = Path.of(started.log());
    int shown = 0;
    while (true) {
      RunRecord now = run(ref).orElseThrow();
      List<String> lines = readLines(log);
      lines.subList(Math.min(shown, lines.size()), lines.size()).forEach(this::showRunLine);
      shown = Math.max(shown, lines.size());
      if (now.status() != RunRecord.RunStatus.RUNNING) {
        // The last lines may land just before the status.
        List<String> last = readLines(log);
        last.subList(Math.min(shown, last.size()), last.size()).forEach(this::showRunLine);
        tell.say("run " + now.runId() + ": " + now.status());
        if (now.status() != RunRecord.RunStatus.SUCCESS) {
          throw TagflowException.failed(
              "the demo stopped: the release workflow of "
                  + tag
                  + " ended "
                  + now.status()
                  + "; its log: "
                  + log);
        }
        return now;
      }
      Narrator.sleep(Duration.ofMillis(500));
    }
  }

  /**
   * One line of the run's log without its timestamp; the image builder's own messages are left to
   * the log (its last line, the digest pushed, is the runner's).
   */
  private void showRunLine(String line) {
    String text = line.replaceFirst("^\\S+Z ", "").replace("[runner] ", "");
    if (!text.contains(" jib: ")) {
      tell.say("  │ " + text);
    }
  }

  private Optional<RunRecord> run(String ref) {
    return store.runs().latest(20).stream().filter(r -> r.ref().equals(ref)).findFirst();
  }

  /** The manifest the registry serves for the version, and its digest. */
  private void showImage(String version) {
    String path = "/v2/demo/web/manifests/" + version;
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<Void> answer =
          http.send(
              HttpRequest.newBuilder(URI.create(registry.url() + path))
                  .method("HEAD", HttpRequest.BodyPublishers.noBody())
                  .header(
                      "Accept",
                      "application/vnd.oci.image.manifest.v1+json,"
                          + "application/vnd.docker.distribution.manifest.v2+json")
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      tell.say(
          "registry: "
              + registry.address()
              + "/demo/web:"
              + version
              + " → "
              + answer
                  .headers()
                  .firstValue("Docker-Content-Digest")
                  .orElse("HTTP " + answer.statusCode()));
    } catch (IOException e) {
      throw TagflowException.failed(
          "the demo stopped: the registry did not answer: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TagflowException.failed("the demo was interrupted");
    }
  }

  private void showPromotionCommits(String before) {
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

  private String envHead() {
    environments.git("fetch", "-q", "origin");
    return environments.git("rev-parse", "origin/main").strip();
  }

  /** Waits until the application is Synced and Healthy running the version; its commit. */
  private String awaitRunning(String application, String version) {
    String env = application.substring("web-".length());
    tell.await(
        application + " Synced and Healthy with web " + version,
        SYNC_TIMEOUT,
        () ->
            status(application).map(ApplicationStatus::isReady).orElse(false)
                && version(env).filter(version::equals).isPresent(),
        () -> describe(application) + ", image " + version(env).orElse("none"));
    String commit =
        status(application)
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

  private void awaitRollback(String application, Instant since) {
    tell.await(
        "the health gate of " + application + " to roll it back",
        SYNC_TIMEOUT,
        () ->
            eventSeen(application, "RevertCommitted", since)
                || eventSeen(application, "RevertFailed", since),
        () -> describe(application) + "; " + lastEvent(application));
    events(
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

  private PromotionRecord awaitRequest(String environment, String version) {
    return tell.await(
        "the promotion request for " + environment,
        SYNC_TIMEOUT,
        new Narrator.Probe<PromotionRecord>() {
          @Override
          public Optional<PromotionRecord> reached() {
            return pending(environment, version);
          }

          @Override
          public String seen() {
            return "no request yet";
          }
        });
  }

  private Optional<PromotionRecord> pending(String environment, String version) {
    return store.promotions().list(Optional.of(PromotionState.PENDING)).stream()
        .filter(r -> r.draft().environment().equals(environment))
        .filter(r -> r.draft().version().equals(version))
        .findFirst();
  }

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

  private Optional<ApplicationStatus> status(String application) {
    return statuses.get(application);
  }

  private String describe(String application) {
    return status(application)
        .map(
            s ->
                s.sync().status().displayName()
                    + ", "
                    + s.health().health().displayName()
                    + (s.health().health() == Health.HEALTHY || s.health().message().isBlank()
                        ? ""
                        : " (" + s.health().message() + ")"))
        .orElse("not found yet");
  }

  private Optional<Deployment> deployment(String env) {
    return Optional.ofNullable(
        kube.apps().deployments().inNamespace("web-" + env).withName("web").get());
  }

  /** The version the environment's Deployment runs (its image's tag). */
  private Optional<String> version(String env) {
    return deployment(env)
        .map(d -> d.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage())
        .map(image -> image.substring(image.lastIndexOf(':') + 1));
  }

  private List<Event> events(String application, Set<String> reasons, Instant since) {
    return store.events().recent(application, 200).stream()
        .filter(e -> reasons.contains(e.reason()))
        .filter(e -> !e.time().isBefore(since))
        .sorted(java.util.Comparator.comparing(Event::time))
        .toList();
  }

  private boolean eventSeen(String application, String reason, Instant since) {
    return store.events().recent(application, 50).stream()
        .anyMatch(e -> e.reason().equals(reason) && !e.time().isBefore(since));
  }

  private String lastEvent(String application) {
    return store.events().recent(application, 1).stream()
        .findFirst()
        .map(e -> "last event " + e.reason())
        .orElse("no event yet");
  }

  /** The complete lines of a log being written (a line still being written is left for later). */
  private static List<String> readLines(Path file) {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
      return text.substring(0, text.lastIndexOf('\n') + 1).lines().toList();
    } catch (IOException e) {
      throw TagflowException.failed(
          "could not read the run's log " + file + ": " + e.getMessage(), e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw TagflowException.failed("could not write " + file + ": " + e.getMessage(), e);
    }
  }

  /** Closes what the story opened (the store, the cluster client); the processes stay. */
  public void closeClients() {
    if (store != null) {
      store.close();
    }
    if (kube != null) {
      kube.close();
    }
  }
}
