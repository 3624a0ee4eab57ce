package dev.tagflow.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tagflow.TagflowException;
import dev.tagflow.UrlRedaction;
import dev.tagflow.health.HealthRuleReader;
import dev.tagflow.server.config.ServerSettings.Cluster;
import dev.tagflow.server.config.ServerSettings.Pipeline;
import dev.tagflow.server.config.ServerSettings.Reconcile;
import dev.tagflow.server.config.ServerSettings.Repository;
import dev.tagflow.server.rbac.PolicyError;
import dev.tagflow.server.rbac.PolicyParser;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.yaml.SyntaxProblem;
import dev.tagflow.yaml.YamlComposer;
import dev.tagflow.yaml.YamlLimits;
import dev.tagflow.yaml.YamlReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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
  private static final List<String> CLUSTER_KEYS = List.of("name", "kubeconfig", "context");
  private static final List<String> PIPELINE_KEYS = List.of("jdkFolders", "cacheLimitMb");
  private static final List<String> RECONCILE_KEYS =
      List.of("interval", "concurrency", "selfHealGrace");

  /** More at once than this is a mistake, not a tuning: each holds a connection and a render. */
  private static final int MOST_CONCURRENCY = 1024;

  private final YamlLimits limits;
  private final YamlComposer yaml;
  private final YamlReader kubeconfigs;
  private final HealthRuleReader healthRules;
  private final Path home;

  /**
   * @param home what {@code ~} stands for in paths
   */
  public ServerSettingsReader(YamlLimits limits, Path home) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.home = Objects.requireNonNull(home, "home");
    this.yaml = new YamlComposer(limits);
    this.kubeconfigs = new YamlReader(limits, false);
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
        r.string("listen").flatMap(text -> listen(r, text, problems)).orElse(ListenAddress.DEFAULT);
    Optional<Path> dataDir =
        r.string("dataDir").flatMap(t -> paths.resolve(r, "dataDir", t, problems));
    Optional<DatabaseUrl> database =
        r.string("database").flatMap(text -> database(r, text, problems, paths));
    Optional<URI> publicUrl = r.string("publicUrl").flatMap(text -> publicUrl(r, text, problems));
    Optional<Path> webhookSecret =
        paths.existingFile(r, "webhookSecretFile", "the webhooks' secret", problems);
    Optional<Path> gitTokens =
        paths.existingFile(
            r, "gitTokenFile", "the tokens that may use the Git server, one per line", problems);
    List<Cluster> clusters =
        r.has("clusters") ? clusters(r, problems, paths) : List.of(Cluster.local());
    RepositoryReader repositoryReader = new RepositoryReader(problems, paths);
    List<Repository> repositories = repositoryReader.repositories(r);
    var applications = repositoryReader.applications(r);
    Reconcile reconcile =
        r.mapping("reconcile").map(m -> reconcile(m, problems)).orElse(Reconcile.DEFAULTS);
    var projects = new ProjectReader(problems, healthRules, paths).projects(r, clusters);
    Pipeline pipeline =
        r.mapping("pipeline").map(m -> pipeline(m, problems, paths)).orElse(Pipeline.DEFAULTS);
    Optional<String> actionsSource =
        r.string("actionsSource").flatMap(text -> actionsSource(r, text, problems));
    ServerSettings.Security security = security(r, problems, paths);
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

  /** An http, https or file URL without credentials (they come from the repositories'). */
  private static Optional<String> actionsSource(
      YamlFields r, String text, SettingsProblems problems) {
    String written = text.strip();
    String example =
        " (e.g. https://github.com, or http://127.0.0.1:7070/git/{owner}-{repo}.git for this"
            + " server's Git server)";
    if (UrlRedaction.hasCredentials(written)) {
      problems.add(
          r.valueMark("actionsSource"),
          "actionsSource must not hold credentials; give them as a repository's credentials: write "
              + UrlRedaction.redact(written));
      return Optional.empty();
    }
    try {
      URI uri = new URI(written.replace("{owner}", "owner").replace("{repo}", "repo"));
      if (uri.getScheme() == null
          || !List.of("http", "https", "file").contains(uri.getScheme())
          || uri.getQuery() != null
          || uri.getFragment() != null) {
        problems.add(
            r.valueMark("actionsSource"),
            "actionsSource '" + written + "' must be an http, https or file URL" + example);
        return Optional.empty();
      }
      return Optional.of(written);
    } catch (URISyntaxException e) {
      problems.add(
          r.valueMark("actionsSource"),
          "actionsSource '" + written + "' is not a URL: " + e.getReason() + example);
      return Optional.empty();
    }
  }

  /**
   * {@code rbac.policy}, {@code trustedProxies} and {@code tls}. A policy that does not parse is a
   * problem of the file, so a reload keeps the last good settings, policy included.
   */
  private static ServerSettings.Security security(
      YamlFields r, SettingsProblems problems, SettingsPaths paths) {
    Optional<String> policy = Optional.empty();
    Optional<YamlFields> rbac = r.mapping("rbac");
    if (rbac.isPresent()) {
      policy = rbac.get().string("policy");
      if (policy.isPresent()
          && PolicyParser.parse("rbac.policy", policy.get())
              instanceof PolicyParser.Result.Refused refused) {
        for (PolicyError error : refused.errors()) {
          problems.add(
              rbac.get().valueMark("policy"),
              "rbac.policy line "
                  + error.line()
                  + " column "
                  + error.column()
                  + ": "
                  + error.reason());
        }
      }
      rbac.get().finish(List.of("policy"));
    }
    List<String> proxies = new ArrayList<>();
    r.string("trustedProxies")
        .ifPresent(
            text -> {
              for (String proxy : text.split(",")) {
                if (!proxy.isBlank()) {
                  proxies.add(proxy.strip());
                }
              }
            });
    Optional<ServerSettings.Tls> tls = Optional.empty();
    Optional<YamlFields> tlsFields = r.mapping("tls");
    if (tlsFields.isPresent()) {
      Optional<Path> certificate =
          paths.existingFile(
              tlsFields.get(), "certificateFile", "the PEM certificate chain", problems);
      Optional<Path> key =
          paths.existingFile(tlsFields.get(), "keyFile", "the PEM private key", problems);
      if (certificate.isPresent() && key.isPresent()) {
        tls = Optional.of(new ServerSettings.Tls(certificate.get(), key.get()));
      } else if (certificate.isPresent() != key.isPresent()) {
        problems.add(tlsFields.get().start(), "tls needs both certificateFile and keyFile");
      }
      tlsFields.get().finish(List.of("certificateFile", "keyFile"));
    }
    return new ServerSettings.Security(policy, proxies, tls);
  }

  private static Optional<ListenAddress> listen(
      YamlFields r, String text, SettingsProblems problems) {
    Optional<ListenAddress> address = ListenAddress.parse(text);
    if (address.isEmpty()) {
      problems.add(
          r.valueMark("listen"),
          "listen '"
              + text
              + "' must be host:port with a port up to 65535: 127.0.0.1:7070, 0.0.0.0:7070 for"
              + " every address, [::1]:7070, or port 0 for a free one");
    }
    return address;
  }

  /** The database URL as {@link DatabaseUrl} reads it, a relative SQLite file from the folder. */
  private static Optional<DatabaseUrl> database(
      YamlFields r, String text, SettingsProblems problems, SettingsPaths paths) {
    String url = text.strip();
    String sqlite = "jdbc:sqlite:";
    if (url.startsWith(sqlite)) {
      String file = url.substring(sqlite.length());
      // In-memory and URI forms are DatabaseUrl's to refuse, with its words.
      if (!file.isEmpty()
          && !file.startsWith(":")
          && !file.startsWith("file:")
          && !file.contains("?")) {
        Optional<Path> resolved = paths.resolve(r, "database", file, problems);
        if (resolved.isEmpty()) {
          return Optional.empty();
        }
        url = sqlite + resolved.get();
      }
    }
    String where = problems.where(r.valueMark("database"));
    try {
      return Optional.of(DatabaseUrl.parse(url, where));
    } catch (TagflowException unsupported) {
      String message = unsupported.getMessage();
      problems.add(
          r.valueMark("database"),
          message.startsWith(where + ": ") ? message.substring(where.length() + 2) : message);
      return Optional.empty();
    }
  }

  private static Optional<URI> publicUrl(YamlFields r, String text, SettingsProblems problems) {
    String written = text.strip();
    String example = " (e.g. https://tagflow.example.com)";
    if (UrlRedaction.hasCredentials(written)) {
      problems.add(
          r.valueMark("publicUrl"),
          "publicUrl must not hold credentials; it is shown to everyone: write "
              + UrlRedaction.redact(written));
      return Optional.empty();
    }
    try {
      URI uri = new URI(written);
      if (uri.getScheme() == null
          || !List.of("http", "https").contains(uri.getScheme())
          || uri.getHost() == null
          || uri.getQuery() != null
          || uri.getFragment() != null) {
        problems.add(
            r.valueMark("publicUrl"),
            "publicUrl '" + written + "' must be an http or https URL with a host" + example);
        return Optional.empty();
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      problems.add(
          r.valueMark("publicUrl"),
          "publicUrl '" + written + "' is not a URL: " + e.getReason() + example);
      return Optional.empty();
    }
  }

  private List<Cluster> clusters(YamlFields r, SettingsProblems problems, SettingsPaths paths) {
    List<Cluster> out = new ArrayList<>();
    Map<String, Integer> lines = new HashMap<>();
    for (YamlFields c : r.mappings("clusters")) {
      Optional<String> name = c.requiredString("name", Cluster.LOCAL);
      Optional<Path> kubeconfig =
          paths.existingFile(c, "kubeconfig", "a kubeconfig (kubectl config view)", problems);
      Optional<String> context = c.string("context").map(String::strip);
      c.finish(CLUSTER_KEYS);
      if (kubeconfig.isPresent() && context.isPresent()) {
        checkContext(c, kubeconfig.get(), context.get(), problems);
      }
      if (name.isEmpty()) {
        continue;
      }
      if (!NAME.matcher(name.get()).matches()) {
        problems.add(
            c.valueMark("name"),
            c.child("name")
                + " '"
                + name.get()
                + "' must be letters, digits, '.', '_' and '-', starting with a letter or digit"
                + " (it need not be the context's name: give that as context)");
        continue;
      }
      Integer first = lines.putIfAbsent(name.get(), c.start().getLine() + 1);
      if (first != null) {
        problems.add(
            c.valueMark("name"),
            "a second cluster named '"
                + name.get()
                + "' (the first is at line "
                + first
                + "); an Application's destination.cluster must name one");
        continue;
      }
      out.add(new Cluster(name.get(), kubeconfig, context));
    }
    return out;
  }

  /**
   * Refuses a context the kubeconfig does not have, now rather than at the first sync: a client
   * given an unknown context falls back to the current one, which is another cluster.
   */
  private void checkContext(
      YamlFields c, Path kubeconfig, String context, SettingsProblems problems) {
    List<String> names = new ArrayList<>();
    try {
      JsonNode config = kubeconfigs.readFirst(kubeconfig.toString(), limits.readFile(kubeconfig));
      config.path("contexts").forEach(entry -> names.add(entry.path("name").asText()));
    } catch (TagflowException unreadable) {
      problems.add(
          c.valueMark("kubeconfig"),
          c.child("kubeconfig") + " cannot be read: " + unreadable.getMessage());
      return;
    }
    if (!names.contains(context)) {
      problems.add(
          c.valueMark("context"),
          c.child("context")
              + " '"
              + context
              + "' is not a context of "
              + kubeconfig
              + " (it has: "
              + (names.isEmpty() ? "none" : String.join(", ", names))
              + ")");
    }
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
    List<Path> folders = new java.util.ArrayList<>();
    for (String text : p.strings("jdkFolders")) {
      paths
          .resolve(p, "jdkFolders", text, problems)
          .ifPresent(
              folder -> {
                if (java.nio.file.Files.isDirectory(folder)) {
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
