package dev.tagflow.server.config;

import dev.tagflow.TagflowException;
import dev.tagflow.health.HealthRuleReader;
import dev.tagflow.server.config.ServerSettings.Cluster;
import dev.tagflow.server.config.ServerSettings.Pipeline;
import dev.tagflow.server.config.ServerSettings.Reconcile;
import dev.tagflow.server.config.ServerSettings.Repository;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.yaml.SyntaxProblem;
import dev.tagflow.yaml.YamlComposer;
import dev.tagflow.yaml.YamlLimits;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads the server's settings file ({@code tagflow server --config tagflow.yaml}) into {@link
 * ServerSettings}, or refuses it with every problem at once, each as {@code file:line:column: what,
 * and how to fix it}: unknown keys (with the closest known one), wrong types, two clusters,
 * repositories or projects of one name, references to no repository or cluster, credentials in a
 * URL, secret files that are not there. Paths are taken from the file's folder and {@code ~} is the
 * home folder. The file is read within {@link YamlLimits}, as every YAML Tagflow reads.
 */
public final class ServerSettingsReader {

  /** Names of clusters, repositories and projects: as {@code tagflow repo add} allows them. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  private static final List<String> KEYS =
      List.of(
          "listen",
          "dataDir",
          "database",
          "publicUrl",
          "webhookSecretFile",
          "gitTokenFile",
          "clusters",
          "repositories",
          "applications",
          "reconcile",
          "projects",
          "pipeline",
          "actionsSource",
          "rbac",
          "trustedProxies",
          "tls");
  private static final List<String> PIPELINE_KEYS = List.of("jdkFolders", "cacheLimitMb");
  private static final List<String> RECONCILE_KEYS =
      List.of("interval", "concurrency", "selfHealGrace");

  /** More at once than this is a mistake, not a tuning: each holds a connection and a render. */
  private static final int MOST_CONCURRENCY = 1024;

  private final YamlLimits limits;
  private final YamlComposer yaml;
  private final HealthRuleReader healthRules;
  private final Path home;

  /**
   * @param home what {@code ~} stands for in paths
   */
  public ServerSettingsReader(YamlLimits limits, Path home) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.home = Objects.requireNonNull(home, "home");
    this.yaml = new YamlComposer(limits);
    this.healthRules = new HealthRuleReader(limits);
  }

  /** A reader with the default limits, {@code ~} being the user's home folder. */
  public static ServerSettingsReader forUser() {
    return new ServerSettingsReader(
        YamlLimits.defaults(), Path.of(System.getProperty("user.home")));
  }

  /** Reads the file; messages name it as given, so an editor or a terminal can open them. */
  public SettingsRead read(Path file) {
    String text;
    try {
      text = limits.readFile(file);
    } catch (TagflowException unreadable) {
      return new SettingsRead.Refused(
          unreadable.getMessage() + " (the settings file given with --config)", List.of());
    }
    return read(file.toString(), text, file.toAbsolutePath().getParent());
  }

  /** Reads settings text; {@code name} names it in messages, {@code folder} anchors its paths. */
  public SettingsRead read(String name, String text, Path folder) {
    SettingsProblems problems = new SettingsProblems(name);
    Optional<Node> root;
    try {
      root = document(text, problems);
    } catch (MarkedYAMLException e) {
      SyntaxProblem syntax = SyntaxProblem.of(e);
      problems.add(syntax.at(), syntax.message());
      return refused(problems);
    } catch (YAMLException e) {
      return new SettingsRead.Refused(name + ": not valid YAML: " + e.getMessage(), List.of());
    } catch (TagflowException pastALimit) {
      // Already file:line:column and which limit.
      return new SettingsRead.Refused(pastALimit.getMessage(), List.of());
    }
    if (root.isEmpty()) {
      return new SettingsRead.Loaded(ServerSettings.defaults());
    }
    Optional<YamlFields> fields = YamlFields.of(root.get(), "", problems);
    if (fields.isEmpty()) {
      return refused(problems);
    }
    ServerSettings settings = settings(fields.get(), problems, new SettingsPaths(folder, home));
    return problems.isEmpty() ? new SettingsRead.Loaded(settings) : refused(problems);
  }

  private Optional<Node> document(String text, SettingsProblems problems) {
    Iterator<Node> documents = yaml.composeAll(problems.file(), text).iterator();
    Node first = null;
    while (documents.hasNext()) {
      Node next = documents.next();
      if (next == null || YamlFields.isNull(next)) {
        continue;
      }
      if (first != null) {
        problems.add(
            next.getStartMark(),
            "the settings are one YAML document; merge this one into the first, or remove it");
        break;
      }
      first = next;
    }
    return Optional.ofNullable(first);
  }

  private ServerSettings settings(YamlFields r, SettingsProblems problems, SettingsPaths paths) {
    ListenAddress listen =
        r.string("listen")
            .flatMap(text -> EndpointReader.listen(r, text, problems))
            .orElse(ListenAddress.DEFAULT);
    Optional<Path> dataDir =
        r.string("dataDir").flatMap(t -> paths.resolve(r, "dataDir", t, problems));
    Optional<DatabaseUrl> database =
        r.string("database").flatMap(text -> EndpointReader.database(r, text, problems, paths));
    Optional<URI> publicUrl =
        r.string("publicUrl").flatMap(text -> EndpointReader.publicUrl(r, text, problems));
    Optional<Path> webhookSecret =
        paths.existingFile(r, "webhookSecretFile", "the webhooks' secret", problems);
    Optional<Path> gitTokens =
        paths.existingFile(
            r, "gitTokenFile", "the tokens that may use the Git server, one per line", problems);
    List<Cluster> clusters = new ClusterReader(limits, problems, paths).clusters(r);
    RepositoryReader repositoryReader = new RepositoryReader(problems, paths);
    List<Repository> repositories = repositoryReader.repositories(r);
    var applications = repositoryReader.applications(r);
    Reconcile reconcile =
        r.mapping("reconcile").map(m -> reconcile(m, problems)).orElse(Reconcile.DEFAULTS);
    var projects = new ProjectReader(problems, healthRules, paths).projects(r, clusters);
    Pipeline pipeline =
        r.mapping("pipeline").map(m -> pipeline(m, problems, paths)).orElse(Pipeline.DEFAULTS);
    Optional<String> actionsSource =
        r.string("actionsSource").flatMap(text -> EndpointReader.actionsSource(r, text, problems));
    ServerSettings.Security security = SecurityReader.security(r, problems, paths);
    r.finish(KEYS);
    return new ServerSettings(
        listen,
        dataDir,
        database,
        publicUrl,
        webhookSecret,
        gitTokens,
        clusters,
        repositories,
        applications,
        reconcile,
        projects,
        pipeline,
        actionsSource,
        security);
  }

  private static Reconcile reconcile(YamlFields r, SettingsProblems problems) {
    Reconcile defaults = Reconcile.DEFAULTS;
    Duration interval =
        r.duration("interval", Duration.ofSeconds(1), "every application is compared that often")
            .orElse(defaults.interval());
    Duration grace =
        r.duration("selfHealGrace", Duration.ZERO, "a grace period cannot be negative")
            .orElse(defaults.selfHealGrace());
    int concurrency =
        r.integer("concurrency")
            .filter(
                n -> {
                  if (n >= 1 && n <= MOST_CONCURRENCY) {
                    return true;
                  }
                  problems.add(
                      r.valueMark("concurrency"),
                      r.child("concurrency")
                          + " "
                          + n
                          + " must be between 1 and "
                          + MOST_CONCURRENCY
                          + ": how many applications are reconciled at once");
                  return false;
                })
            .map(Long::intValue)
            .orElse(defaults.concurrency());
    r.finish(RECONCILE_KEYS);
    return new Reconcile(interval, concurrency, grace);
  }

  private static Pipeline pipeline(YamlFields p, SettingsProblems problems, SettingsPaths paths) {
    List<Path> folders = new ArrayList<>();
    for (String text : p.strings("jdkFolders")) {
      paths
          .resolve(p, "jdkFolders", text, problems)
          .ifPresent(
              folder -> {
                if (Files.isDirectory(folder)) {
                  folders.add(folder);
                } else {
                  problems.add(
                      p.valueMark("jdkFolders"),
                      p.child("jdkFolders")
                          + " '"
                          + text
                          + "' is not a folder; give a JDK's folder or a folder of JDKs");
                }
              });
    }
    long limit =
        p.integer("cacheLimitMb")
            .filter(
                n -> {
                  if (n >= 1 && n <= 1L << 30) {
                    return true;
                  }
                  problems.add(
                      p.valueMark("cacheLimitMb"),
                      p.child("cacheLimitMb")
                          + " "
                          + n
                          + " must be between 1 and "
                          + (1L << 30)
                          + ": the megabytes actions/cache keeps per repository");
                  return false;
                })
            .orElse(Pipeline.DEFAULTS.cacheLimitMb());
    p.finish(PIPELINE_KEYS);
    return new Pipeline(folders, limit);
  }

  private static SettingsRead refused(SettingsProblems problems) {
    var sorted = problems.sorted();
    return new SettingsRead.Refused(SettingsProblems.message(problems.file(), sorted), sorted);
  }
}
