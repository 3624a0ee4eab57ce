package dev.tagflow.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.cluster.ClusterException;
import dev.tagflow.cluster.ClusterFailure;
import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.cluster.ObjectJson;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.diff.Differ;
import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalClusterExtension.class)
class ResourceManagerIT {

  private final ObjectJson json = new ObjectJson();

  @Test
  void createsTheNamespaceAndTheCrdBeforeTheCustomResource(
      KubernetesClient client, TestNamespace ns) {
    String group = ns.name() + ".tagflow.dev";
    String namespace = ns.name() + "-extra";
    List<GenericKubernetesResource> objects =
        json.readYaml(
            """
            apiVersion: %1$s/v1
            kind: Widget
            metadata: {name: first, namespace: %2$s}
            spec: {size: 3}
            ---
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.%1$s}
            spec:
              group: %1$s
              scope: Namespaced
              names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
              versions:
                - name: v1
                  served: true
                  storage: true
                  schema:
                    openAPIV3Schema:
                      type: object
                      x-kubernetes-preserve-unknown-fields: true
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: %2$s}
            """
                .formatted(group, namespace));
    ClusterGateway cluster = ClusterGateway.over("test", client);
    try {
      ChangeSet changes =
          new ResourceManager(cluster, cluster)
              .applyAllStaged(objects, ApplyOptions.defaults("shop", ns.name()));

      assertThat(changes.entries())
          .extracting(e -> e.object().kind() + " " + e.action().word())
          .containsExactly(
              "Namespace created", "CustomResourceDefinition created", "Widget created");
      assertThat(
              client
                  .genericKubernetesResources(group + "/v1", "Widget")
                  .inNamespace(namespace)
                  .withName("first")
                  .get())
          .isNotNull();
    } finally {
      client.apiextensions().v1().customResourceDefinitions().withName("widgets." + group).delete();
      client.namespaces().withName(namespace).delete();
    }
  }

  @Test
  void doesNotApplyUnchangedObjectsAgainSoTheirResourceVersionIsKept(
      KubernetesClient client, TestNamespace ns) {
    List<GenericKubernetesResource> objects = webObjects();
    ClusterGateway cluster = ClusterGateway.over("test", client);
    ResourceManager manager = new ResourceManager(cluster, cluster);
    ApplyOptions options = ApplyOptions.defaults("shop", ns.name());

    ChangeSet first = manager.applyAllStaged(objects, options);
    String before = configMapVersion(client, ns, "web-settings");
    ChangeSet second = manager.applyAllStaged(objects, options);

    assertThat(first.entries()).extracting(ChangeSetEntry::action).containsOnly(Action.CREATED);
    assertThat(second.entries())
        .extracting(ChangeSetEntry::action)
        .containsOnly(Action.UNCHANGED)
        .hasSize(2);
    // The Deployment's resourceVersion moves with its status (the controller writes it); its
    // generation counts spec changes, so it shows that the spec was not sent again.
    assertThat(configMapVersion(client, ns, "web-settings")).isEqualTo(before);
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace(ns.name())
                .withName("web")
                .get()
                .getMetadata()
                .getGeneration())
        .isEqualTo(1L);
  }

  @Test
  void marksEveryAppliedObjectWithTheManagedByLabelAndTheTrackingId(
      KubernetesClient client, TestNamespace ns) {
    ClusterGateway cluster = ClusterGateway.over("test", client);
    new ResourceManager(cluster, cluster)
        .applyAllStaged(webObjects(), ApplyOptions.defaults("shop", ns.name()));

    var deployment = client.apps().deployments().inNamespace(ns.name()).withName("web").get();
    var configMap = client.configMaps().inNamespace(ns.name()).withName("web-settings").get();
    assertThat(deployment.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "tagflow");
    assertThat(deployment.getMetadata().getAnnotations())
        .containsEntry("tagflow.dev/tracking-id", "shop:apps/Deployment:" + ns.name() + "/web");
    assertThat(configMap.getMetadata().getAnnotations())
        .containsEntry("tagflow.dev/tracking-id", "shop:/ConfigMap:" + ns.name() + "/web-settings");
  }

  @Test
  void reconfiguresAnObjectWhoseDesiredStateChanged(KubernetesClient client, TestNamespace ns) {
    ClusterGateway cluster = ClusterGateway.over("test", client);
    ResourceManager manager = new ResourceManager(cluster, cluster);
    ApplyOptions options = ApplyOptions.defaults("shop", ns.name());
    manager.applyAllStaged(webObjects(), options);

    GenericKubernetesResource changed = webObjects().get(0);
    changed.setAdditionalProperty("data", java.util.Map.of("colour", "green"));
    ChangeSetEntry entry = manager.apply(changed, options);

    assertThat(entry.action()).isEqualTo(Action.CONFIGURED);
    assertThat(client.configMaps().inNamespace(ns.name()).withName("web-settings").get().getData())
        .containsEntry("colour", "green");
  }

  @Test
  void refusesToTakeOverAnObjectAnotherApplicationTracksUnlessAsked(
      KubernetesClient client, TestNamespace ns) {
    ClusterGateway cluster = ClusterGateway.over("test", client);
    ResourceManager manager = new ResourceManager(cluster, cluster);
    manager.applyAllStaged(webObjects(), ApplyOptions.defaults("billing", ns.name()));

    ChangeSet refused =
        manager.applyAllStaged(webObjects(), ApplyOptions.defaults("shop", ns.name()));
    ChangeSet taken =
        manager.applyAllStaged(
            webObjects(), ApplyOptions.defaults("shop", ns.name()).withTakeOver(true));

    assertThat(refused.hasFailures()).isTrue();
    assertThat(refused.entries())
        .allSatisfy(
            e -> {
              assertThat(e.action()).isEqualTo(Action.FAILED);
              assertThat(e.message()).contains("belongs to application 'billing'");
            });
    assertThat(taken.entries()).extracting(ChangeSetEntry::action).containsOnly(Action.CONFIGURED);
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace(ns.name())
                .withName("web")
                .get()
                .getMetadata()
                .getAnnotations())
        .containsEntry("tagflow.dev/tracking-id", "shop:apps/Deployment:" + ns.name() + "/web");
  }

  @Test
  void reportsAnImmutableFieldChangeAndRecreatesTheObjectWhenForced(
      KubernetesClient client, TestNamespace ns) {
    ClusterGateway cluster = ClusterGateway.over("test", client);
    ResourceManager manager = new ResourceManager(cluster, cluster);
    ApplyOptions options = ApplyOptions.defaults("shop", ns.name());
    manager.applyAllStaged(webObjects(), options);
    String uid =
        client
            .apps()
            .deployments()
            .inNamespace(ns.name())
            .withName("web")
            .get()
            .getMetadata()
            .getUid();
    GenericKubernetesResource newSelector =
        json.readYaml(deploymentYaml("web", "web-v2", 1)).get(0);

    ChangeSetEntry refused = manager.apply(newSelector, options);
    ChangeSetEntry recreated = manager.apply(newSelector, options.withForce(true));

    assertThat(refused.action()).isEqualTo(Action.FAILED);
    assertThat(refused.message()).contains("immutable").contains("Replace=true");
    assertThat(recreated.action()).isEqualTo(Action.CONFIGURED);
    assertThat(recreated.message()).contains("recreated");
    var now = client.apps().deployments().inNamespace(ns.name()).withName("web").get();
    assertThat(now.getMetadata().getUid()).isNotEqualTo(uid);
    assertThat(now.getSpec().getSelector().getMatchLabels()).containsEntry("app", "web-v2");
  }

  @Test
  void createsTheDestinationNamespaceWhenAsked(KubernetesClient client, TestNamespace ns) {
    String destination = ns.name() + "-dest";
    ClusterGateway cluster = ClusterGateway.over("test", client);
    try {
      ChangeSet changes =
          new ResourceManager(cluster, cluster)
              .applyAllStaged(
                  webObjects(),
                  ApplyOptions.defaults("shop", destination).withCreateNamespace(true));

      assertThat(changes.hasFailures()).isFalse();
      assertThat(changes.entries().get(0).subject()).isEqualTo("Namespace/" + destination);
      assertThat(client.configMaps().inNamespace(destination).withName("web-settings").get())
          .isNotNull();
    } finally {
      client.namespaces().withName(destination).delete();
    }
  }

  @Test
  void aDryRunChangesNothing(KubernetesClient client, TestNamespace ns) {
    ClusterGateway cluster = ClusterGateway.over("test", client);
    ChangeSet changes =
        new ResourceManager(cluster, cluster)
            .applyAllStaged(
                webObjects(), ApplyOptions.defaults("shop", ns.name()).withDryRun(true));

    assertThat(changes.entries()).extracting(ChangeSetEntry::action).containsOnly(Action.CREATED);
    assertThat(client.configMaps().inNamespace(ns.name()).withName("web-settings").get()).isNull();
    assertThat(changes.entryFor(new ObjectRef("apps/v1", "Deployment", ns.name(), "web")))
        .isPresent();
  }

  @Test
  void aWaveWithAnObjectTheCredentialsMayNotWriteChangesNothingAndReportsItForbidden(
      LocalCluster local, KubernetesClient client, TestNamespace ns) {
    String user = "tagflow-test-configmaps-only-" + ns.name();
    client
        .rbac()
        .roles()
        .inNamespace(ns.name())
        .resource(
            new RoleBuilder()
                .withNewMetadata()
                .withName("configmaps-only")
                .endMetadata()
                .addNewRule()
                .withApiGroups("")
                .withResources("configmaps")
                .withVerbs("get", "list", "watch", "create", "update", "patch")
                .endRule()
                .build())
        .create();
    client
        .rbac()
        .roleBindings()
        .inNamespace(ns.name())
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("configmaps-only")
                .endMetadata()
                .addNewSubject()
                .withKind("User")
                .withName(user)
                .withApiGroup("rbac.authorization.k8s.io")
                .endSubject()
                .withNewRoleRef()
                .withKind("Role")
                .withName("configmaps-only")
                .withApiGroup("rbac.authorization.k8s.io")
                .endRoleRef()
                .build())
        .create();
    Interceptor impersonate =
        new Interceptor() {
          @Override
          public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            builder.setHeader("Impersonate-User", user);
          }
        };
    try (KubernetesClient limited = local.newClient(local.serverUrl(), List.of(impersonate))) {
      ClusterGateway cluster = ClusterGateway.over("limited", limited);
      ObjectRef probe = new ObjectRef("v1", "ConfigMap", ns.name(), "probe");
      // The authorizer learns of the new binding from a watch: wait until it allows a read.
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreException(ClusterException.class)
          .until(() -> cluster.get(probe).isEmpty());
      List<GenericKubernetesResource> objects =
          json.readYaml(
              """
              apiVersion: v1
              kind: ConfigMap
              metadata: {name: settings}
              data: {colour: blue}
              ---
              apiVersion: v1
              kind: Secret
              metadata: {name: token}
              stringData: {password: not-a-real-one}
              """);

      ChangeSet changes =
          new ResourceManager(cluster, cluster)
              .applyAllStaged(objects, ApplyOptions.defaults("shop", ns.name()));

      assertThat(changes.entries())
          .extracting(e -> e.object().name() + " " + e.action().word())
          .containsExactly("token failed", "settings skipped");
      assertThat(changes.entryFor(new ObjectRef("v1", "Secret", ns.name(), "token")))
          .get()
          .satisfies(
              e -> {
                assertThat(e.failure()).contains(ClusterFailure.FORBIDDEN);
                assertThat(e.message()).startsWith("the server refused it: ").contains(user);
              });
      assertThat(client.configMaps().inNamespace(ns.name()).withName("settings").get()).isNull();
    }
  }

  @Test
  void aReplaceWhoseObjectIsNotGoneInTimeFailsAsTimedOut(
      KubernetesClient client, TestNamespace ns) {
    ClusterGateway cluster = ClusterGateway.over("test", client);
    ResourceManager manager = new ResourceManager(cluster, cluster);
    ApplyOptions options = ApplyOptions.defaults("shop", ns.name());
    manager.apply(frozen("blue"), options);
    holdWithAFinalizer(client, ns, List.of("tagflow.dev/test-hold"));
    try {
      ChangeSetEntry entry = manager.apply(frozen("green"), replaceWithinTwoSeconds(ns));

      assertThat(entry.action()).isEqualTo(Action.FAILED);
      assertThat(entry.failure()).contains(ClusterFailure.TIMED_OUT);
      assertThat(entry.message())
          .isEqualTo(
              "deleted to be recreated (an immutable field changed), but still there after 2 s;"
                  + " check its finalizers");
    } finally {
      holdWithAFinalizer(client, ns, List.of());
    }
  }

  @Test
  void appliesAKindsObjectsTogetherKindAfterKindNeverMoreAtOnceThanItsDryRuns(
      LocalCluster local, TestNamespace ns) {
    List<String> applies = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    Interceptor watchApplies =
        new Interceptor() {
          @Override
          public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            if (isApply(request)) {
              most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
              applies.add("start " + resource(request));
            }
          }

          @Override
          public void after(
              HttpRequest request,
              HttpResponse<?> response,
              AsyncBody.Consumer<List<ByteBuffer>> consumer) {
            if (isApply(request)) {
              applies.add("end " + resource(request));
              inFlight.decrementAndGet();
            }
          }
        };
    StringBuilder yaml = new StringBuilder(deploymentYaml("web", "web", 1));
    yaml.append("---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n");
    yaml.append("spec: {selector: {app: web}, ports: [{port: 80}]}\n");
    for (int i = 0; i < 8; i++) {
      yaml.append("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings-")
          .append(i)
          .append("}\ndata: {colour: blue}\n");
    }
    try (KubernetesClient watched = local.newClient(local.serverUrl(), List.of(watchApplies))) {
      ClusterGateway cluster = ClusterGateway.over("test", watched);
      Differ differ = new Differ(cluster, cluster, 3);

      ChangeSet changes =
          new ResourceManager(cluster, cluster, differ)
              .applyAllStaged(
                  json.readYaml(yaml.toString()), ApplyOptions.defaults("shop", ns.name()));

      assertThat(changes.entries())
          .extracting(e -> e.object().kind() + " " + e.action().word())
          .containsExactly(
              "ConfigMap created",
              "ConfigMap created",
              "ConfigMap created",
              "ConfigMap created",
              "ConfigMap created",
              "ConfigMap created",
              "ConfigMap created",
              "ConfigMap created",
              "Service created",
              "Deployment created");
      assertThat(changes.entries()).allSatisfy(e -> assertThat(e.written()).isPresent());
      assertThat(most.get()).isBetween(1, 3);
      assertThat(applies).hasSize(20);
      assertThat(applies.lastIndexOf("end configmaps"))
          .isLessThan(applies.indexOf("start services"));
      assertThat(applies.lastIndexOf("end services"))
          .isLessThan(applies.indexOf("start deployments"));
    }
  }

  @Test
  void anObjectThatFailsAmongItsKindLeavesTheOthersAppliedAndEveryOneReported(
      KubernetesClient client, TestNamespace ns) {
    ClusterGateway cluster = ClusterGateway.over("test", client);
    ResourceManager manager = new ResourceManager(cluster, cluster);
    ApplyOptions options = ApplyOptions.defaults("shop", ns.name());
    manager.applyAllStaged(colours("blue"), options);
    holdWithAFinalizer(client, ns, List.of("tagflow.dev/test-hold"));
    try {
      ChangeSet changes = manager.applyAllStaged(colours("green"), replaceWithinTwoSeconds(ns));

      assertThat(changes.hasFailures()).isTrue();
      assertThat(changes.entries()).hasSize(6);
      ChangeSetEntry frozen =
          changes.entryFor(new ObjectRef("v1", "ConfigMap", ns.name(), "frozen")).orElseThrow();
      assertThat(frozen.action()).isEqualTo(Action.FAILED);
      assertThat(frozen.failure()).contains(ClusterFailure.TIMED_OUT);
      for (int i = 0; i < 5; i++) {
        ChangeSetEntry entry =
            changes
                .entryFor(new ObjectRef("v1", "ConfigMap", ns.name(), "colour-" + i))
                .orElseThrow();
        var stored = client.configMaps().inNamespace(ns.name()).withName("colour-" + i).get();
        assertThat(entry.action()).isEqualTo(Action.CONFIGURED);
        assertThat(stored.getData()).containsEntry("colour", "green");
        assertThat(entry.written())
            .get()
            .extracting(v -> v.resourceVersion())
            .isEqualTo(stored.getMetadata().getResourceVersion());
      }
    } finally {
      holdWithAFinalizer(client, ns, List.of());
    }
  }

  /** Replace=true, waiting at most 2 s for an object deleted to be recreated. */
  private static ApplyOptions replaceWithinTwoSeconds(TestNamespace ns) {
    return new ApplyOptions(
        "shop",
        ns.name(),
        ApplyOptions.FIELD_MANAGER,
        true,
        false,
        false,
        false,
        Duration.ofSeconds(2),
        List.of());
  }

  /** Five ConfigMaps and the immutable {@code frozen} one, all of that colour. */
  private List<GenericKubernetesResource> colours(String colour) {
    List<GenericKubernetesResource> objects = new ArrayList<>();
    objects.add(frozen(colour));
    for (int i = 0; i < 5; i++) {
      objects.addAll(
          json.readYaml(
              "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: colour-%d}\ndata: {colour: %s}\n"
                  .formatted(i, colour)));
    }
    return objects;
  }

  private static void holdWithAFinalizer(
      KubernetesClient client, TestNamespace ns, List<String> finalizers) {
    client
        .configMaps()
        .inNamespace(ns.name())
        .withName("frozen")
        .edit(
            cm ->
                new io.fabric8.kubernetes.api.model.ConfigMapBuilder(cm)
                    .editMetadata()
                    .withFinalizers(finalizers)
                    .endMetadata()
                    .build());
  }

  /** A server-side apply that is not a dry-run. */
  private static boolean isApply(HttpRequest request) {
    String query = request.uri().getRawQuery();
    return "PATCH".equals(request.method()) && (query == null || !query.contains("dryRun"));
  }

  /** The resource of a request's path: {@code configmaps}, {@code deployments}, … */
  private static String resource(HttpRequest request) {
    String[] parts = request.uri().getPath().split("/");
    return parts[parts.length - 2];
  }

  private GenericKubernetesResource frozen(String colour) {
    return json.readYaml(
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: frozen}
            immutable: true
            data: {colour: %s}
            """
                .formatted(colour))
        .get(0);
  }

  private List<GenericKubernetesResource> webObjects() {
    return json.readYaml(
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: web-settings}
        data: {colour: blue}
        ---
        """
            + deploymentYaml("web", "web", 1));
  }

  static String deploymentYaml(String name, String selector, int replicas) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %1$s}
        spec:
          replicas: %3$d
          selector: {matchLabels: {app: %2$s}}
          template:
            metadata: {labels: {app: %2$s}}
            spec:
              containers:
                - {name: main, image: example.invalid/web:1.0.0}
        """
        .formatted(name, selector, replicas);
  }

  private static String configMapVersion(KubernetesClient client, TestNamespace ns, String name) {
    return client
        .configMaps()
        .inNamespace(ns.name())
        .withName(name)
        .get()
        .getMetadata()
        .getResourceVersion();
  }
}
