package dev.tagflow.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.apply.ApplyOptions;
import dev.tagflow.apply.ResourceManager;
import dev.tagflow.cluster.ClusterConnections;
import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.cluster.LiveLookup;
import dev.tagflow.cluster.LiveStateCache;
import dev.tagflow.cluster.ObjectJson;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalClusterExtension.class)
class DifferIT {

  private final ObjectJson json = new ObjectJson();

  @Test
  void anObjectJustAppliedIsInSync(KubernetesClient client, TestNamespace ns) {
    ClusterGateway cluster = ClusterGateway.over("test", client);
    List<GenericKubernetesResource> objects = objects(deployment(2));
    new ResourceManager(cluster, cluster).applyAllStaged(objects, apply(ns));

    List<ResourceDiff> diffs =
        new Differ(cluster, cluster)
            .diff(objects, List.of(), DiffOptions.defaults("shop", ns.name()));

    assertThat(diffs).hasSize(1).allMatch(d -> d instanceof ResourceDiff.InSync);
  }

  @Test
  void aFieldChangedByAnotherManagerAndListedInIgnoreDifferencesIsNotADiff(
      KubernetesClient client, TestNamespace ns) {
    ClusterGateway cluster = ClusterGateway.over("test", client);
    List<GenericKubernetesResource> objects = objects(deployment(2));
    new ResourceManager(cluster, cluster).applyAllStaged(objects, apply(ns));
    scaleAsAnotherManager(client, ns, 5);
    Differ differ = new Differ(cluster, cluster);
    DiffOptions options = DiffOptions.defaults("shop", ns.name());

    ResourceDiff byPointer =
        differ.diff(
            objects.get(0),
            options.withIgnoreRules(
                List.of(IgnoreRule.pointers("apps", "Deployment", "/spec/replicas"))));
    ResourceDiff byManager =
        differ.diff(
            objects.get(0),
            options.withIgnoreRules(
                List.of(IgnoreRule.managers("apps", "Deployment", "hpa-controller"))));
    ResourceDiff withoutRule = differ.diff(objects.get(0), options);

    assertThat(byPointer).isInstanceOf(ResourceDiff.InSync.class);
    assertThat(byManager).isInstanceOf(ResourceDiff.InSync.class);
    assertThat(withoutRule)
        .isInstanceOfSatisfying(
            ResourceDiff.OutOfSync.class,
            d -> assertThat(d.unifiedDiff()).contains("-  replicas: 5").contains("+  replicas: 2"));
  }

  @Test
  void aHandEditToAFieldWeManageIsADiff(KubernetesClient client, TestNamespace ns) {
    ClusterGateway cluster = ClusterGateway.over("test", client);
    List<GenericKubernetesResource> objects = objects(configMap("blue"));
    new ResourceManager(cluster, cluster).applyAllStaged(objects, apply(ns));
    paintByHand(client, ns, "red");

    ResourceDiff diff =
        new Differ(cluster, cluster).diff(objects.get(0), DiffOptions.defaults("shop", ns.name()));

    assertThat(diff)
        .isInstanceOfSatisfying(
            ResourceDiff.OutOfSync.class,
            d ->
                assertThat(d.unifiedDiff())
                    .startsWith("--- live\n+++ desired\n")
                    .contains("-  colour: red")
                    .contains("+  colour: blue"));
  }

  @Test
  void aSecretDiffNeverShowsItsValue(KubernetesClient client, TestNamespace ns) {
    ClusterGateway cluster = ClusterGateway.over("test", client);
    new ResourceManager(cluster, cluster).applyAllStaged(objects(secret("first-value")), apply(ns));
    Differ differ = new Differ(cluster, cluster);

    ResourceDiff changed =
        differ.diff(
            objects(secret("second-value")).get(0), DiffOptions.defaults("shop", ns.name()));
    ResourceDiff missing =
        differ.diff(
            objects(secret("third-value").replace("name: db", "name: db2")).get(0),
            DiffOptions.defaults("shop", ns.name()));

    assertThat(changed).isInstanceOf(ResourceDiff.OutOfSync.class);
    String text = ((ResourceDiff.OutOfSync) changed).unifiedDiff();
    assertThat(text)
        .contains("password: " + SecretMask.CHANGED_LIVE)
        .contains("password: " + SecretMask.CHANGED_DESIRED);
    assertThat(missing).isInstanceOf(ResourceDiff.Missing.class);
    String shown = text + ((ResourceDiff.Missing) missing).desiredYaml();
    for (String value : List.of("first-value", "second-value", "third-value")) {
      assertThat(shown)
          .doesNotContain(value)
          .doesNotContain(java.util.Base64.getEncoder().encodeToString(value.getBytes()));
    }
  }

  @Test
  void reportsMissingAndExtraObjects(KubernetesClient client, TestNamespace ns) {
    ClusterGateway cluster = ClusterGateway.over("test", client);
    new ResourceManager(cluster, cluster).applyAllStaged(objects(configMap("blue")), apply(ns));
    ObjectRef settings = new ObjectRef("v1", "ConfigMap", ns.name(), "settings");

    List<ResourceDiff> diffs =
        new Differ(cluster, cluster)
            .diff(
                objects(deployment(1)), List.of(settings), DiffOptions.defaults("shop", ns.name()));

    assertThat(diffs)
        .extracting(d -> d.getClass().getSimpleName() + " " + d.object().subject())
        .containsExactly(
            "Missing Deployment/" + ns.name() + "/web",
            "Extra ConfigMap/" + ns.name() + "/settings");
  }

  @Test
  void aSteadyStateComparisonFromTheLiveCacheSendsNoRequest(LocalCluster local, TestNamespace ns) {
    try (ClusterConnections connections = new ClusterConnections(local.kubeconfig())) {
      ClusterGateway cluster = connections.connect(Optional.empty());
      List<GenericKubernetesResource> objects =
          objects(configMap("blue") + "---\n" + deployment(1));
      new ResourceManager(cluster, cluster).applyAllStaged(objects, apply(ns));
      try (LiveStateCache cache = new LiveStateCache(cluster)) {
        // Every read the differ makes, with the version it got.
        List<String> reads = Collections.synchronizedList(new ArrayList<>());
        LiveLookup recorded =
            ref -> {
              Optional<GenericKubernetesResource> found = cache.live(ref);
              reads.add(
                  ref.name()
                      + "@"
                      + found.map(o -> o.getMetadata().getResourceVersion()).orElse("absent"));
              return found;
            };
        Differ differ = new Differ(cluster, recorded);
        DiffOptions options = DiffOptions.defaults("shop", ns.name());
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    differ.diff(objects, List.of(), options).stream()
                        .allMatch(d -> d instanceof ResourceDiff.InSync));
        // The Deployment's status moves for a while after the apply (the controllers and kwok
        // write it in steps), and each move is a new live version the differ rightly dry-runs,
        // also when it came between the differ's last comparison and the round (a clean-clone
        // run counted one such dry-run). So each round first compares once, which brings the
        // differ's memo to the versions it reads; then ten comparisons in a row send no request
        // when every read of the round, the first included, saw one version of each object.
        // Rounds in which one moved are measured again, and so are rounds in which the cache's
        // own watch was opened again (the API server ends watches after a while; the cache's
        // WATCH request is not the comparison's, and a clean-clone run once counted one).
        int objectCount = objects.size();
        await()
            .atMost(Duration.ofSeconds(90))
            .until(
                () -> {
                  reads.clear();
                  differ.diff(objects, List.of(), options);
                  Map<String, Long> requests = cluster.requests().byMethod();
                  long dryRuns = differ.dryRunCount();
                  for (int i = 0; i < 10; i++) {
                    assertThat(differ.diff(objects, List.of(), options))
                        .allMatch(d -> d instanceof ResourceDiff.InSync);
                  }
                  Map<String, Long> after = cluster.requests().byMethod();
                  List<String> seen;
                  synchronized (reads) {
                    seen = List.copyOf(new LinkedHashSet<>(reads));
                  }
                  if (seen.size() != objectCount
                      || !Objects.equals(after.get("WATCH"), requests.get("WATCH"))) {
                    return false;
                  }
                  assertThat(after)
                      .as("requests of ten comparisons that read only %s", seen)
                      .isEqualTo(requests);
                  assertThat(differ.dryRunCount()).isEqualTo(dryRuns);
                  return true;
                });
      }
    }
  }

  @Test
  void aLiveViewOlderThanTheDiffersOwnWriteIsNotDryRunButAHandEditAfterTheWriteIs(
      KubernetesClient client, TestNamespace ns) {
    ClusterGateway cluster = ClusterGateway.over("test", client);
    new ResourceManager(cluster, cluster).applyAllStaged(objects(configMap("blue")), apply(ns));
    ObjectRef ref = new ObjectRef("v1", "ConfigMap", ns.name(), "settings");
    // What a watch-fed cache holds until the event of the next write reaches it: the object from
    // before that write. Held here by hand, since a real cache's lag cannot be held open on
    // purpose; every other read and every request goes to the real API server.
    AtomicReference<GenericKubernetesResource> view =
        new AtomicReference<>(cluster.get(ref).orElseThrow());
    LiveLookup lagging = r -> r.equals(ref) ? Optional.of(view.get()) : cluster.get(r);
    Differ differ = new Differ(cluster, lagging);
    DiffOptions options = DiffOptions.defaults("shop", ns.name());
    List<GenericKubernetesResource> green = objects(configMap("green"));
    new ResourceManager(cluster, lagging, differ).applyAllStaged(green, apply(ns));
    long dryRuns = differ.dryRunCount();

    ResourceDiff lagged = differ.diff(green.get(0), options);

    assertThat(lagged).isInstanceOf(ResourceDiff.InSync.class);
    assertThat(differ.dryRunCount()).isEqualTo(dryRuns);

    paintByHand(client, ns, "red");
    view.set(cluster.get(ref).orElseThrow());

    ResourceDiff edited = differ.diff(green.get(0), options);

    assertThat(edited)
        .isInstanceOfSatisfying(
            ResourceDiff.OutOfSync.class,
            d ->
                assertThat(d.unifiedDiff())
                    .contains("-  colour: red")
                    .contains("+  colour: green"));
    assertThat(differ.dryRunCount()).isEqualTo(dryRuns + 1);
  }

  /** An edit of the ConfigMap's colour, as a person makes it with {@code kubectl edit}. */
  private static void paintByHand(KubernetesClient client, TestNamespace ns, String colour) {
    client
        .configMaps()
        .inNamespace(ns.name())
        .withName("settings")
        .edit(
            cm ->
                new io.fabric8.kubernetes.api.model.ConfigMapBuilder(cm)
                    .addToData("colour", colour)
                    .build());
  }

  /** An update of /spec/replicas by a second field manager, as an autoscaler makes it. */
  private static void scaleAsAnotherManager(
      KubernetesClient client, TestNamespace ns, int replicas) {
    client
        .apps()
        .deployments()
        .inNamespace(ns.name())
        .withName("web")
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.STRATEGIC_MERGE)
                .withFieldManager("hpa-controller")
                .build(),
            "{\"spec\":{\"replicas\":" + replicas + "}}");
  }

  private List<GenericKubernetesResource> objects(String yaml) {
    return json.readYaml(yaml);
  }

  private static ApplyOptions apply(TestNamespace ns) {
    return ApplyOptions.defaults("shop", ns.name());
  }

  private static String configMap(String colour) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        data: {colour: %s, size: large}
        """
        .formatted(colour);
  }

  private static String secret(String password) {
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: db}
        type: Opaque
        stringData: {user: admin, password: %s}
        """
        .formatted(password);
  }

  private static String deployment(int replicas) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: %d
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
                - {name: main, image: example.invalid/web:1.0.0}
        """
        .formatted(replicas);
  }
}
