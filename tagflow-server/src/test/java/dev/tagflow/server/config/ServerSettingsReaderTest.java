package dev.tagflow.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.GroupKind;
import dev.tagflow.app.Problem;
import dev.tagflow.health.Health;
import dev.tagflow.server.config.ServerSettings.ApplicationFiles;
import dev.tagflow.server.config.ServerSettings.Cluster;
import dev.tagflow.server.config.ServerSettings.Destination;
import dev.tagflow.server.config.ServerSettings.Reconcile;
import dev.tagflow.source.RepoCredentials;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.yaml.YamlLimits;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerSettingsReaderTest {

  @TempDir Path temp;
  private Path home;
  private Path conf;
  private ServerSettingsReader reader;

  @BeforeEach
  void aHomeAndAFolderOfSecrets() throws IOException {
    home = Files.createDirectories(temp.resolve("home"));
    conf = Files.createDirectories(temp.resolve("etc/tagflow"));
    Files.createDirectories(conf.resolve("secrets"));
    for (String secret :
        List.of("webhook-secret", "git-tokens", "token", "password", "id_ed25519", "known_hosts")) {
      Files.writeString(conf.resolve("secrets").resolve(secret), "not really secret\n");
    }
    Files.createDirectories(conf.resolve("kube"));
    Files.writeString(
        conf.resolve("kube/config"),
        """
        apiVersion: v1
        kind: Config
        contexts:
          - {name: dev, context: {cluster: dev, user: dev}}
          - {name: prod, context: {cluster: prod, user: prod}}
        current-context: dev
        """);
    reader = new ServerSettingsReader(YamlLimits.defaults(), home);
  }

  @Test
  void readsACompleteFileWithEveryKey() throws IOException {
    Path file =
        Files.writeString(
            conf.resolve("tagflow.yaml"),
            """
            listen: 0.0.0.0:7443
            dataDir: /var/lib/tagflow
            database: jdbc:postgresql://db.example.com:5432/tagflow
            publicUrl: https://tagflow.example.com
            webhookSecretFile: secrets/webhook-secret
            gitTokenFile: secrets/git-tokens
            clusters:
              - {name: local}
              - {name: production, kubeconfig: kube/config, context: prod}
            repositories:
              - name: environments
                url: https://git.example.com/acme/environments.git
                pollInterval: 3m
                credentials: {tokenFile: secrets/token}
              - name: charts
                url: https://git.example.com/acme/charts.git
                credentials: {username: tagflow, passwordFile: secrets/password}
              - name: infra
                url: ssh://git@git.example.com/acme/infra.git
                pollInterval: 1h30m
                credentials: {sshKey: secrets/id_ed25519, knownHosts: secrets/known_hosts}
              - url: https://github.com/acme/public-apps.git
            applications:
              - {repository: environments, revision: main, path: apps}
              - {repository: infra, path: clusters/production/apps}
            reconcile: {interval: 2m, concurrency: 16, selfHealGrace: 10s}
            projects:
              - name: shop
                destinations:
                  - {cluster: production, namespace: 'shop-*'}
                  - {cluster: local, namespace: shop-dev}
                healthRules:
                  - group: cert-manager.io
                    kind: Certificate
                    cases:
                      - when: [{condition: Ready, status: "True"}]
                        health: Healthy
                    otherwise: Progressing
            """);

    ServerSettings settings = loaded(reader.read(file));

    assertThat(settings.listen()).isEqualTo(new ListenAddress("0.0.0.0", 7443));
    assertThat(settings.dataDir()).contains(Path.of("/var/lib/tagflow"));
    assertThat(settings.database())
        .contains(new DatabaseUrl.Postgresql("jdbc:postgresql://db.example.com:5432/tagflow"));
    assertThat(settings.publicUrl()).contains(URI.create("https://tagflow.example.com"));
    assertThat(settings.webhookSecretFile()).contains(conf.resolve("secrets/webhook-secret"));
    assertThat(settings.gitTokenFile()).contains(conf.resolve("secrets/git-tokens"));
    assertThat(settings.clusters())
        .containsExactly(
            Cluster.local(),
            new Cluster(
                "production", Optional.of(conf.resolve("kube/config")), Optional.of("prod")));
    assertThat(settings.repositories())
        .extracting(
            r -> r.name(), r -> r.url(), r -> r.pollInterval(), r -> r.entry().credentials())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "environments",
                "https://git.example.com/acme/environments.git",
                Duration.ofMinutes(3),
                new RepoCredentials.Token(conf.resolve("secrets/token"))),
            org.assertj.core.groups.Tuple.tuple(
                "charts",
                "https://git.example.com/acme/charts.git",
                Duration.ofMinutes(3),
                new RepoCredentials.Basic("tagflow", conf.resolve("secrets/password"))),
            org.assertj.core.groups.Tuple.tuple(
                "infra",
                "ssh://git@git.example.com/acme/infra.git",
                Duration.ofMinutes(90),
                new RepoCredentials.SshKey(
                    conf.resolve("secrets/id_ed25519"), conf.resolve("secrets/known_hosts"))),
            org.assertj.core.groups.Tuple.tuple(
                "public-apps",
                "https://github.com/acme/public-apps.git",
                Duration.ofMinutes(3),
                new RepoCredentials.None()));
    assertThat(settings.applications())
        .containsExactly(
            new ApplicationFiles("environments", "main", "apps"),
            new ApplicationFiles("infra", "HEAD", "clusters/production/apps"));
    assertThat(settings.reconcile())
        .isEqualTo(new Reconcile(Duration.ofMinutes(2), 16, Duration.ofSeconds(10)));
    ServerSettings.Project shop = settings.project("shop").orElseThrow();
    assertThat(shop.destinations())
        .containsExactly(
            new Destination("production", "shop-*"), new Destination("local", "shop-dev"));
    assertThat(shop.healthRules()).hasSize(1);
    assertThat(shop.healthRules().getFirst().target())
        .isEqualTo(GroupKind.of("cert-manager.io", "Certificate"));
    assertThat(shop.healthRules().getFirst().otherwise()).isEqualTo(Health.PROGRESSING);
  }

  @Test
  void anEmptyFileMeansTheDefaults() {
    ServerSettings settings = loaded(read("# nothing set yet\n"));

    assertThat(settings).isEqualTo(ServerSettings.defaults());
    assertThat(settings.listen()).isEqualTo(new ListenAddress("127.0.0.1", 7070));
    assertThat(settings.clusters()).containsExactly(Cluster.local());
    assertThat(settings.reconcile())
        .isEqualTo(new Reconcile(Duration.ofMinutes(3), 8, Duration.ofSeconds(5)));
    assertThat(settings.databaseIn(temp)).isEqualTo(DatabaseUrl.inDataDir(temp));
  }

  @Test
  void everyMistakeOfAFileIsReportedAtOnceEachWithItsPlace() {
    SettingsRead.Refused refused =
        refused(
            read(
                """
                listen: localhost
                clusters:
                  - {name: local}
                  - {name: local, context: prod}
                repositories:
                  - {name: envs, url: https://git.example.com/envs.git, pollInterval: 30}
                  - {name: envs, url: https://git.example.com/other.git}
                applications:
                  - {repository: env, path: apps}
                  - {repository: envs, path: ../outside}
                reconcile: {interval: 0s, concurrency: 0}
                projects:
                  - name: shop
                    destinations: [{cluster: prodution, namespace: 'Shop_*'}]
                """));

    assertThat(refused.problems())
        .extracting(Problem::toString)
        .containsExactly(
            "tagflow.yaml:1:9: listen 'localhost' must be host:port with a port up to 65535:"
                + " 127.0.0.1:7070, 0.0.0.0:7070 for every address, [::1]:7070, or port 0 for a"
                + " free one",
            "tagflow.yaml:4:12: a second cluster named 'local' (the first is at line 3); an"
                + " Application's destination.cluster must name one",
            "tagflow.yaml:6:71: repositories[0].pollInterval '30' must be a duration with its"
                + " unit (e.g. 30s, 5m, 1h30m)",
            "tagflow.yaml:7:12: a second repository named 'envs' (the first is at line 6); give"
                + " each repository its own name",
            "tagflow.yaml:9:18: applications[0].repository 'env' names no repository; did you"
                + " mean 'envs'? (known: envs)",
            "tagflow.yaml:10:30: applications[1].path '../outside' must be a folder inside the"
                + " repository, relative to its root (e.g. apps)",
            "tagflow.yaml:11:23: reconcile.interval '0s' must be at least 1s: every application"
                + " is compared that often",
            "tagflow.yaml:11:40: reconcile.concurrency 0 must be between 1 and 1024: how many"
                + " applications are reconciled at once",
            "tagflow.yaml:14:30: projects[0].destinations[0].cluster 'prodution' names no"
                + " cluster (known: local; '*' for every cluster)",
            "tagflow.yaml:14:52: projects[0].destinations[0].namespace 'Shop_*' must be a"
                + " namespace or a glob of them: lower-case letters, digits and '-', with '*' for"
                + " any characters and '?' for one (e.g. 'shop-*')");
    assertThat(refused.message()).startsWith("10 problems in tagflow.yaml:\n  tagflow.yaml:1:9: ");
  }

  @Test
  void anUnknownKeyIsRefusedWithTheClosestKnownOne() {
    assertThat(problems("listn: 127.0.0.1:7070\nreconcile: {intervall: 3m}\n"))
        .containsExactly(
            "tagflow.yaml:1:1: unknown field 'listn' in the settings; did you mean 'listen'?"
                + " (allowed: listen, dataDir, database, publicUrl, webhookSecretFile,"
                + " gitTokenFile, clusters, repositories, applications, reconcile, projects,"
                + " pipeline, actionsSource, rbac, trustedProxies, tls)",
            "tagflow.yaml:2:13: unknown field 'intervall' in reconcile; did you mean 'interval'?"
                + " (allowed: interval, concurrency, selfHealGrace)");
  }

  @Test
  void credentialsWrittenAsRepositoriesYamlHasThemAreSentUnderCredentials() {
    assertThat(
            problems(
                """
                repositories:
                  - {url: https://git.example.com/envs.git, tokenFile: secrets/token}
                """))
        .containsExactly(
            "tagflow.yaml:2:45: field 'tokenFile' does not belong in repositories[0]: put it"
                + " under credentials, e.g. credentials: {tokenFile: …}");
  }

  @Test
  void credentialsInARepositoryUrlAreRefusedWithoutBeingShownAndOnlyOnce() {
    SettingsRead.Refused refused =
        refused(
            read(
                """
                repositories:
                  - name: envs
                    url: https://tagflow:ghp_s3cretT0ken@git.example.com/envs.git
                applications:
                  - {repository: envs, path: apps}
                """));

    assertThat(refused.message())
        .isEqualTo(
            "tagflow.yaml:3:10: repositories[0].url holds credentials (before its '@'), and"
                + " Tagflow keeps secrets only in files: write url:"
                + " https://git.example.com/envs.git and credentials: {tokenFile: <file holding"
                + " the token>} (or {username: <user>, passwordFile: <file>})")
        .doesNotContain("ghp_s3cretT0ken")
        .doesNotContain("tagflow:");
  }

  @Test
  void relativePathsStartAtTheFilesFolderAndTildeIsTheHomeFolder() throws IOException {
    Files.writeString(home.resolve("token"), "t\n");
    Path file =
        Files.writeString(
            conf.resolve("tagflow.yaml"),
            """
            dataDir: ~/tagflow-data
            database: jdbc:sqlite:state/tagflow.db
            webhookSecretFile: ./secrets/../secrets/webhook-secret
            clusters: [{name: dev, kubeconfig: kube/config, context: dev}]
            repositories:
              - {name: local, url: ../../repos/envs.git, credentials: {tokenFile: ~/token}}
              - {name: absolute, url: /srv/git/apps.git}
              - {name: file-url, url: file:///srv/git/charts.git}
            """);

    ServerSettings settings = loaded(reader.read(file));

    assertThat(settings.dataDir()).contains(home.resolve("tagflow-data"));
    assertThat(settings.database())
        .contains(new DatabaseUrl.Sqlite(conf.resolve("state/tagflow.db")));
    assertThat(settings.webhookSecretFile()).contains(conf.resolve("secrets/webhook-secret"));
    assertThat(settings.clusters().getFirst().kubeconfig()).contains(conf.resolve("kube/config"));
    assertThat(settings.repositories())
        .extracting(ServerSettings.Repository::url)
        .containsExactly(
            temp.resolve("repos/envs.git").toString(),
            "/srv/git/apps.git",
            "file:///srv/git/charts.git");
    assertThat(settings.repositories().getFirst().entry().credentials())
        .isEqualTo(new RepoCredentials.Token(home.resolve("token")));
  }

  @Test
  void durationsAreWrittenWithTheirUnitAndNotTooShort() {
    ServerSettings settings =
        loaded(
            read(
                """
                repositories: [{url: https://h.example/a.git, pollInterval: 1m30s}]
                reconcile: {interval: 500s, selfHealGrace: 0s}
                """));
    assertThat(settings.repositories().getFirst().pollInterval()).isEqualTo(Duration.ofSeconds(90));
    assertThat(settings.reconcile().interval()).isEqualTo(Duration.ofSeconds(500));
    assertThat(settings.reconcile().selfHealGrace()).isZero();

    assertThat(
            problems(
                """
                repositories: [{url: https://h.example/a.git, pollInterval: 500ms}]
                reconcile: {interval: 3, selfHealGrace: soon}
                """))
        .containsExactly(
            "tagflow.yaml:1:61: repositories[0].pollInterval '500ms' must be at least 1s: a Git"
                + " host is asked that often; use webhooks",
            "tagflow.yaml:2:23: reconcile.interval '3' must be a duration with its unit (e.g."
                + " 30s, 5m, 1h30m)",
            "tagflow.yaml:2:41: reconcile.selfHealGrace 'soon' must be a duration with its unit"
                + " (e.g. 30s, 5m, 1h30m)");
  }

  @Test
  void pipelineNamesJdkFoldersAndTheCacheLimit() throws Exception {
    Path jdks = java.nio.file.Files.createDirectories(temp.resolve("jdks"));
    ServerSettings settings =
        loaded(read("pipeline: {jdkFolders: [%s], cacheLimitMb: 2048}\n".formatted(jdks)));
    assertThat(settings.pipeline().jdkFolders()).containsExactly(jdks);
    assertThat(settings.pipeline().builtIns().cacheLimitBytes()).isEqualTo(2048L * 1024 * 1024);
    assertThat(loaded(read("listen: 127.0.0.1:7070\n")).pipeline())
        .isEqualTo(ServerSettings.Pipeline.DEFAULTS);

    assertThat(
            problems(
                """
                pipeline: {jdkFolders: [/no/such/jdks], cacheLimitMb: 0, jdks: x}
                """))
        .containsExactly(
            "tagflow.yaml:1:24: pipeline.jdkFolders '/no/such/jdks' is not a folder; give a"
                + " JDK's folder or a folder of JDKs",
            "tagflow.yaml:1:55: pipeline.cacheLimitMb 0 must be between 1 and 1073741824: the"
                + " megabytes actions/cache keeps per repository",
            "tagflow.yaml:1:58: unknown field 'jdks' in pipeline (allowed: jdkFolders,"
                + " cacheLimitMb)");
  }

  @Test
  void twoEntriesForOneThingAreRefused() {
    assertThat(
            problems(
                """
                repositories:
                  - {name: a, url: https://h.example/x.git}
                  - {name: b, url: https://h.example/x.git}
                applications:
                  - {repository: a, path: apps}
                  - {repository: a, path: apps}
                projects:
                  - {name: shop, destinations: [{cluster: '*', namespace: '*'}]}
                  - {name: shop, destinations: [{cluster: local, namespace: shop}]}
                """))
        .containsExactly(
            "tagflow.yaml:3:20: repositories[1].url https://h.example/x.git is repository 'a'"
                + " already; list each repository once",
            "tagflow.yaml:6:5: the same folder of Application files as at line 5; list each"
                + " once, or every application there would be read twice",
            "tagflow.yaml:9:12: a second project named 'shop' (the first is at line 8); merge"
                + " them, or give each its own name");
  }

  @Test
  void secretFilesAndKubeconfigContextsMustBeThere() {
    assertThat(
            problems(
                """
                webhookSecretFile: secrets/missing
                clusters:
                  - {name: prod, kubeconfig: kube/config, context: production}
                  - {name: other, kubeconfig: kube/none}
                repositories:
                  - {url: https://h.example/a.git, credentials: {username: me}}
                  - {url: https://h.example/b.git, credentials: {tokenFile: secrets/token, sshKey: k}}
                """))
        .containsExactly(
            "tagflow.yaml:1:20: webhookSecretFile "
                + conf.resolve("secrets/missing")
                + " does not exist; it should hold the webhooks' secret (fix the path, or create"
                + " the file)",
            "tagflow.yaml:3:52: clusters[0].context 'production' is not a context of "
                + conf.resolve("kube/config")
                + " (it has: dev, prod)",
            "tagflow.yaml:4:31: clusters[1].kubeconfig "
                + conf.resolve("kube/none")
                + " does not exist; it should hold a kubeconfig (kubectl config view) (fix the"
                + " path, or create the file)",
            "tagflow.yaml:6:49: missing repositories[0].credentials.passwordFile (e.g."
                + " /etc/tagflow/git-password)",
            "tagflow.yaml:7:49: repositories[1].credentials gives more than one way to log in;"
                + " give one: {tokenFile}, {username, passwordFile} or {sshKey, knownHosts}");
  }

  @Test
  void healthRuleMistakesArePlacedWhereTheyAre() {
    assertThat(
            problems(
                """
                projects:
                  - name: shop
                    destinations: [{cluster: local, namespace: shop}]
                    healthRules:
                      - kind: Backup
                        cases:
                          - when: [{condition: Ready}]
                            health: Fine
                        colour: blue
                      - group: example.com
                """))
        .containsExactly(
            "tagflow.yaml:8:13: projects[0].healthRules[0].cases[0].health: 'Fine' is not a"
                + " health; use one of Healthy, Suspended, Progressing, Missing, Degraded,"
                + " Unknown",
            "tagflow.yaml:9:9: projects[0].healthRules[0]: unknown field 'colour' (allowed:"
                + " cases, group, kind, otherwise)",
            "tagflow.yaml:10:9: projects[0].healthRules[1]: missing kind (e.g. kind:"
                + " Certificate)");
  }

  @Test
  void aYamlSyntaxErrorIsOneProblemWithItsPlace() {
    assertThat(problems("listen: 127.0.0.1:7070\nrepositories:\n  - {url: a\n"))
        .singleElement()
        .asString()
        .startsWith(
            "tagflow.yaml:4:1: not valid YAML: while parsing a flow mapping started at"
                + " line 3: ");
  }

  @Test
  void valuesOfTheWrongKindAreNamed() {
    assertThat(
            problems(
                """
                listen: 127.0.0.1:99999
                database: mysql://db/tagflow
                publicUrl: ftp://tagflow.example.com
                clusters: {name: local}
                dataDir: ~bob/tagflow
                ---
                listen: 127.0.0.1:7071
                """))
        .containsExactly(
            "tagflow.yaml:1:9: listen '127.0.0.1:99999' must be host:port with a port up to"
                + " 65535: 127.0.0.1:7070, 0.0.0.0:7070 for every address, [::1]:7070, or port 0"
                + " for a free one",
            "tagflow.yaml:2:11: database 'mysql://db/tagflow' is not supported; use"
                + " jdbc:sqlite:<path> (the default is <dataDir>/tagflow.db) or"
                + " jdbc:postgresql://host:5432/<database>",
            "tagflow.yaml:3:12: publicUrl 'ftp://tagflow.example.com' must be an http or https"
                + " URL with a host (e.g. https://tagflow.example.com)",
            "tagflow.yaml:4:11: clusters must be a list (- item, or [item, item]), not a mapping",
            "tagflow.yaml:5:10: dataDir '~bob/tagflow': only ~ (your home folder) is expanded,"
                + " not ~user; write the full path",
            "tagflow.yaml:7:1: the settings are one YAML document; merge this one into the"
                + " first, or remove it");
  }

  @Test
  void theActionsSourceIsAUrlWithoutCredentials() {
    assertThat(
            loaded(read("actionsSource: 'http://127.0.0.1:7070/git/{owner}-{repo}.git'\n"))
                .actionsSource())
        .contains("http://127.0.0.1:7070/git/{owner}-{repo}.git");
    assertThat(loaded(read("listen: 127.0.0.1:7070\n")).actionsSource()).isEmpty();
    assertThat(
            problems(
                """
                actionsSource: https://bob:hunter2@git.example.com
                """))
        .containsExactly(
            "tagflow.yaml:1:16: actionsSource must not hold credentials; give them as a"
                + " repository's credentials: write https://git.example.com");
    assertThat(problems("actionsSource: ssh://git.example.com\n"))
        .singleElement()
        .asString()
        .startsWith("tagflow.yaml:1:16: actionsSource 'ssh://git.example.com' must be an http,");
  }

  @Test
  void aMissingFileIsRefusedByItsName() {
    SettingsRead.Refused refused = refused(reader.read(conf.resolve("nope.yaml")));

    assertThat(refused.message())
        .isEqualTo(
            conf.resolve("nope.yaml") + ": no such file (the settings file given with --config)");
  }

  @Test
  void rbacPolicyTrustedProxiesAndTlsAreRead() throws Exception {
    Path cert = Files.writeString(conf.resolve("cert.pem"), "x");
    Path key = Files.writeString(conf.resolve("key.pem"), "x");
    ServerSettings settings =
        loaded(
            read(
                """
                rbac:
                  policy: |
                    p, role:ops, applications, sync, shop/*, allow
                    g, alice, role:ops
                trustedProxies: 10.0.0.1, 10.0.0.2
                tls: {certificateFile: cert.pem, keyFile: key.pem}
                """));
    assertThat(settings.security().policy())
        .hasValueSatisfying(p -> assertThat(p).contains("g, alice, role:ops"));
    assertThat(settings.security().trustedProxies()).containsExactly("10.0.0.1", "10.0.0.2");
    assertThat(settings.security().tls()).contains(new ServerSettings.Tls(cert, key));
  }

  @Test
  void aPolicyWithAnErrorRefusesTheFileWithLineAndColumnInsideThePolicy() {
    assertThat(
            problems(
                """
                rbac:
                  policy: |
                    g, alice, role:ops
                    p, role:ops, applications, deploy, shop/*, allow
                  polcy: x
                tls: {certificateFile: cert.pem}
                """))
        .anySatisfy(p -> assertThat(p).contains("rbac.policy line 2 column 28: no action 'deploy'"))
        .anySatisfy(p -> assertThat(p).contains("polcy"))
        .anySatisfy(p -> assertThat(p).contains("cert.pem"));
  }

  @Test
  void aPolicyChangeIsFollowedButProxiesAndTlsNeedARestart() {
    ServerSettings before = loaded(read("rbac: {policy: 'g, alice, role:viewer'}\n"));
    ServerSettings after =
        loaded(read("rbac: {policy: 'g, alice, role:admin'}\ntrustedProxies: 10.0.0.1\n"));
    assertThat(after.restartNeededFrom(before)).containsExactly("trustedProxies");
    SettingsChange change = new SettingsChange(before, after.applicableTo(before));
    assertThat(change.policyChanged()).isTrue();
    assertThat(change.isEmpty()).isFalse();
    assertThat(change.summary()).contains("rbac.policy");
    assertThat(after.applicableTo(before).security().trustedProxies()).isEmpty();
  }

  private SettingsRead read(String text) {
    return reader.read("tagflow.yaml", text, conf);
  }

  private List<String> problems(String text) {
    return refused(read(text)).problems().stream().map(Problem::toString).toList();
  }

  private static ServerSettings loaded(SettingsRead read) {
    if (read instanceof SettingsRead.Refused refused) {
      throw new AssertionError("refused: " + refused.message());
    }
    return ((SettingsRead.Loaded) read).settings();
  }

  private static SettingsRead.Refused refused(SettingsRead read) {
    if (read instanceof SettingsRead.Loaded loaded) {
      throw new AssertionError("loaded: " + loaded.settings());
    }
    return (SettingsRead.Refused) read;
  }
}
