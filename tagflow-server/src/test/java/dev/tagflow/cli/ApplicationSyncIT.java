package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.PlainJson;
import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code tagflow diff|sync <application.yaml>} against the testkit's cluster, reading a real Git
 * repository (written with the {@code git} command) that holds a plain-YAML directory and a Helm
 * chart with values.
 */
@ExtendWith(LocalClusterExtension.class)
class ApplicationSyncIT {

  @TempDir Path root;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final String id = UUID.randomUUID().toString().substring(0, 8);
  private GitWorkTree repo;

  @BeforeEach
  void writeRepository() {
    repo = GitWorkTree.init(root.resolve("env"));
    repo.write(
        "plain/settings.yaml",
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        data: {colour: blue}
        """);
    repo.write(
        "plain/front.yaml",
        """
        apiVersion: v1
        kind: Service
        metadata: {name: front}
        spec:
          selector: {app: front}
          ports: [{port: 80, targetPort: 8080}]
        """);
    repo.write("chart/Chart.yaml", "apiVersion: v2\nname: web\nversion: 0.1.0\n");
    repo.write("chart/values.yaml", "colour: green\nport: 8080\nreplicas: 1\n");
    repo.write("chart/values-prod.yaml", "colour: purple\nreplicas: 3\n");
    repo.write(
        "chart/templates/config.yaml",
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: {{ .Release.Name }}-config}
        data:
          colour: {{ .Values.colour | quote }}
          replicas: {{ .Values.replicas | quote }}
        """);
    repo.write(
        "chart/templates/service.yaml",
        """
        apiVersion: v1
        kind: Service
        metadata: {name: {{ .Release.Name }}}
        spec:
          selector: {app: {{ .Release.Name }}}
          ports: [{port: {{ .Values.port }}, targetPort: http}]
        """);
    repo.commit("plain manifests and a chart");
  }

  @Test
  void anArgoCdApplicationFileSyncsTheSameObjectsAsOurOwnFormat(
      LocalCluster cluster, KubernetesClient client, TestNamespace ns) throws IOException {
    String argoNamespace = ns.name() + "-argo";
    Path ours =
        applications("ours.yaml", ours("plain", ns.name()) + "---\n" + ours("chart", ns.name()));
    Path argo =
        applications(
            "argo.yaml", argo("plain", argoNamespace) + "---\n" + argo("chart", argoNamespace));
    try {
      int oursSynced = run("sync", ours.toString(), "--kubeconfig", kubeconfig(cluster));
      String oursOutput = out.toString();
      int argoSynced = run("sync", argo.toString(), "--kubeconfig", kubeconfig(cluster));

      assertThat(oursSynced).as(err + oursOutput).isEqualTo(ExitCode.OK);
      assertThat(argoSynced).as(err.toString() + out).isEqualTo(ExitCode.OK);
      assertThat(oursOutput)
          .containsPattern("ConfigMap/" + ns.name() + "/settings +created")
          .containsPattern("ConfigMap/" + ns.name() + "/web-config +created")
          .contains("application ours-plain-" + id + " at main (")
          .contains("health: Healthy");
      Map<String, Object> created = objects(client, ns.name());
      assertThat(created)
          .containsEntry("ConfigMap/settings", Map.of("colour", "blue"))
          // chart defaults ← values-prod.yaml ← inline values, as Helm layers them
          .containsEntry("ConfigMap/web-config", Map.of("colour", "purple", "replicas", "3"))
          .containsEntry("Service/front", List.of("80->8080", Map.of("app", "front")))
          .containsEntry("Service/web", List.of("9090->http", Map.of("app", "web")));
      assertThat(objects(client, argoNamespace)).isEqualTo(created);
    } finally {
      client.namespaces().withName(argoNamespace).delete();
    }
  }

  @Test
  void aSecondSyncOfAnUnchangedApplicationChangesNothing(
      LocalCluster cluster, KubernetesClient client, TestNamespace ns) throws IOException {
    Path file = applications("chart.yaml", ours("chart", ns.name()));
    int first = run("sync", file.toString(), "--kubeconfig", kubeconfig(cluster), "-o", "json");
    String resourceVersion =
        client
            .configMaps()
            .inNamespace(ns.name())
            .withName("web-config")
            .get()
            .getMetadata()
            .getResourceVersion();

    int second = run("sync", file.toString(), "--kubeconfig", kubeconfig(cluster), "-o", "json");
    JsonNode result = PlainJson.MAPPER.readTree(out.toString());

    assertThat(first).as(err.toString()).isEqualTo(ExitCode.OK);
    assertThat(second).as(err.toString() + out).isEqualTo(ExitCode.OK);
    assertThat(result.get("status").asText()).isEqualTo("Succeeded");
    assertThat(result.get("revision").asText()).isEqualTo("main");
    assertThat(actions(result)).containsOnly("unchanged").hasSize(2);
    assertThat(result.at("/health/status").asText()).isEqualTo("Healthy");
    assertThat(
            client
                .configMaps()
                .inNamespace(ns.name())
                .withName("web-config")
                .get()
                .getMetadata()
                .getResourceVersion())
        .isEqualTo(resourceVersion);
  }

  @Test
  void aFileRemovedFromGitIsPrunedBySyncWithPrune(
      LocalCluster cluster, KubernetesClient client, TestNamespace ns) {
    Path file = applications("plain.yaml", ours("plain", ns.name()));
    int synced = run("sync", file.toString(), "--kubeconfig", kubeconfig(cluster));
    assertThat(synced).as(err.toString() + out).isEqualTo(ExitCode.OK);
    assertThat(client.services().inNamespace(ns.name()).withName("front").get()).isNotNull();

    repo.remove("plain/front.yaml");
    repo.commit("front is gone");
    int withoutPrune = run("sync", file.toString(), "--kubeconfig", kubeconfig(cluster));
    int pruned = run("sync", file.toString(), "--prune", "--kubeconfig", kubeconfig(cluster));

    assertThat(withoutPrune).as(err.toString()).isEqualTo(ExitCode.OK);
    assertThat(pruned).as(err.toString() + out).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).containsPattern("Service/" + ns.name() + "/front +deleted");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> client.services().inNamespace(ns.name()).withName("front").get() == null);
    assertThat(client.configMaps().inNamespace(ns.name()).withName("settings").get()).isNotNull();
  }

  @Test
  void diffShowsAFieldWeManageThatAnotherFieldManagerChanged(
      LocalCluster cluster, KubernetesClient client, TestNamespace ns) {
    Path file = applications("plain.yaml", ours("plain", ns.name()));
    int synced = run("sync", file.toString(), "--kubeconfig", kubeconfig(cluster));
    int inSync = run("diff", file.toString(), "--kubeconfig", kubeconfig(cluster));
    String inSyncOutput = out.toString();

    // As `kubectl patch cm settings -p '{"data":{"colour":"red"}}'` does it.
    client
        .configMaps()
        .inNamespace(ns.name())
        .withName("settings")
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.JSON_MERGE)
                .withFieldManager("kubectl-patch")
                .build(),
            "{\"data\":{\"colour\":\"red\"}}");
    int drifted = run("diff", file.toString(), "--kubeconfig", kubeconfig(cluster));

    assertThat(synced).as(err.toString()).isEqualTo(ExitCode.OK);
    assertThat(inSync).as(err + inSyncOutput).isEqualTo(ExitCode.OK);
    assertThat(inSyncOutput).contains("ConfigMap/" + ns.name() + "/settings: in sync");
    assertThat(drifted).as(err.toString()).isEqualTo(ExitCode.FAILED);
    assertThat(out.toString())
        .contains("ConfigMap/" + ns.name() + "/settings: out of sync")
        .contains("-  colour: red")
        .contains("+  colour: blue")
        .contains("Service/" + ns.name() + "/front: in sync");
  }

  @Test
  void aRevisionThatDoesNotExistIsInvalidInputNamingIt(LocalCluster cluster, TestNamespace ns) {
    Path file = applications("plain.yaml", ours("plain", ns.name()));

    int code =
        run("diff", file.toString(), "--revision", "v9.9.9", "--kubeconfig", kubeconfig(cluster));

    assertThat(code).as(out.toString()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("v9.9.9");
  }

  @Test
  void aDestinationClusterTheKubeconfigDoesNotNameIsInvalidInputAndTouchesNothing(
      LocalCluster cluster, KubernetesClient client, TestNamespace ns) {
    Path file =
        applications(
            "elsewhere.yaml",
            ours("plain", ns.name()).replace("cluster: local", "cluster: prod-eu"));

    int code = run("sync", file.toString(), "--kubeconfig", kubeconfig(cluster));

    assertThat(code).as(out.toString()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("has no context 'prod-eu'");
    assertThat(client.configMaps().inNamespace(ns.name()).withName("settings").get()).isNull();
  }

  /** Per object: a ConfigMap's data, a Service's ports and selector (not its cluster IP). */
  private static Map<String, Object> objects(KubernetesClient client, String namespace) {
    Map<String, Object> objects = new TreeMap<>();
    for (ConfigMap cm : client.configMaps().inNamespace(namespace).list().getItems()) {
      if (!cm.getMetadata().getName().equals("kube-root-ca.crt")) {
        objects.put("ConfigMap/" + cm.getMetadata().getName(), cm.getData());
      }
    }
    for (Service service : client.services().inNamespace(namespace).list().getItems()) {
      var port = service.getSpec().getPorts().getFirst();
      objects.put(
          "Service/" + service.getMetadata().getName(),
          List.of(
              port.getPort() + "->" + port.getTargetPort().toString().replaceAll(".*=|\\)", ""),
              service.getSpec().getSelector()));
    }
    return objects;
  }

  private static List<String> actions(JsonNode result) {
    return StreamSupport.stream(result.get("changes").spliterator(), false)
        .map(change -> change.get("action").asText())
        .toList();
  }

  /** Our Application for one directory of the repository, named after it. */
  @Test
  void aPreSyncHookWithGenerateNameRunsBeforeTheObjectsAndIsDeletedAfterSuccess(
      LocalCluster cluster, KubernetesClient client, TestNamespace ns) {
    repo.write(
        "hooked/migrate.yaml",
        """
        apiVersion: batch/v1
        kind: Job
        metadata:
          generateName: db-migrate-
          annotations:
            argocd.argoproj.io/hook: PreSync
            argocd.argoproj.io/hook-delete-policy: HookSucceeded
        spec:
          template:
            spec:
              restartPolicy: Never
              containers: [{name: migrate, image: example.invalid/migrate:1.0.0}]
        """);
    repo.write(
        "hooked/settings.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: after-migration}\ndata: {a: b}\n");
    repo.commit("a migration hook");
    Path file = applications("hooked.yaml", ours("hooked", ns.name()));

    int synced = run("sync", file.toString(), "--kubeconfig", kubeconfig(cluster));

    assertThat(synced).as(err.toString() + out).isEqualTo(ExitCode.OK);
    assertThat(out.toString())
        .containsPattern("Job/" + ns.name() + "/db-migrate-\\w+ +created")
        .containsPattern("ConfigMap/" + ns.name() + "/after-migration +created");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> client.batch().v1().jobs().inNamespace(ns.name()).list().getItems().isEmpty());
  }

  private String ours(String path, String namespace) {
    String helm =
        path.equals("chart")
            ? "    helm: {releaseName: web, valueFiles: [values-prod.yaml], values: {port: 9090}}\n"
            : "";
    return """
        apiVersion: tagflow.dev/v1alpha1
        kind: Application
        metadata: {name: ours-%s-%s}
        spec:
          source:
            repoURL: '%s'
            targetRevision: main
            path: %s
        %s  destination: {cluster: local, namespace: %s}
          syncPolicy: {syncOptions: [CreateNamespace=true]}
        """
        .formatted(path, id, repo.url(), path, helm, namespace);
  }

  /** The same as {@link #ours}, written as Argo CD writes it. */
  private String argo(String path, String namespace) {
    String helm =
        path.equals("chart")
            ? """
                helm:
                  releaseName: web
                  valueFiles: [values-prod.yaml]
                  valuesObject: {port: 9090}
            """
            : "";
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: argo-%s-%s, namespace: argocd}
        spec:
          project: default
          source:
            repoURL: '%s'
            targetRevision: main
            path: %s
        %s  destination: {name: in-cluster, namespace: %s}
          syncPolicy:
            syncOptions: [CreateNamespace=true]
        """
        .formatted(path, id, repo.url(), path, helm, namespace);
  }

  private Path applications(String name, String yaml) {
    try {
      return Files.writeString(root.resolve(name), yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String kubeconfig(LocalCluster cluster) {
    return cluster.kubeconfig().toString();
  }

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--data-dir", root.resolve("data").toString()));
    return Main.run(
        all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
  }
}
