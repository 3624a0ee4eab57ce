package dev.tagflow.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.net.FaultyLink;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The error contract of {@link ClusterGateway}, against the real API server's answers. */
@ExtendWith(LocalClusterExtension.class)
class ClusterGatewayIT {

  private final ObjectJson json = new ObjectJson();

  @Test
  void anObjectTheServerDoesNotHaveIsAbsentNotAFailure(KubernetesClient client, TestNamespace ns) {
    ClusterGateway cluster = ClusterGateway.over("test", client);

    assertThat(cluster.get(new ObjectRef("v1", "ConfigMap", ns.name(), "nothing"))).isEmpty();
    assertThat(cluster.delete(new ObjectRef("v1", "ConfigMap", ns.name(), "nothing"))).isFalse();
  }

  @Test
  void anApplyIntoANamespaceThatDoesNotExistFailsNotFound(KubernetesClient client) {
    ClusterGateway cluster = ClusterGateway.over("test", client);

    ClusterException e =
        failure(() -> cluster.apply(configMap("nowhere-at-all", "a", "blue"), forced()));

    assertThat(e.failure()).isEqualTo(ClusterFailure.NOT_FOUND);
    assertThat(e.serverMessage()).contains("nowhere-at-all");
  }

  @Test
  void applyingWithoutForceAFieldAnotherManagerOwnsFailsAsAConflict(
      KubernetesClient client, TestNamespace ns) {
    ClusterGateway cluster = ClusterGateway.over("test", client);
    cluster.apply(configMap(ns.name(), "shared", "blue"), ApplyCall.forced("someone-else"));

    ClusterException e =
        failure(
            () ->
                cluster.apply(
                    configMap(ns.name(), "shared", "green"),
                    new ApplyCall("tagflow", false, false)));

    assertThat(e.failure()).isEqualTo(ClusterFailure.CONFLICT);
    assertThat(e.serverMessage()).contains("conflict").contains("someone-else");
  }

  @Test
  void changingADeploymentSelectorFailsAsAnImmutableField(
      KubernetesClient client, TestNamespace ns) {
    ClusterGateway cluster = ClusterGateway.over("test", client);
    cluster.apply(deployment(ns.name(), "web", "web"), forced());

    ClusterException e = failure(() -> cluster.apply(deployment(ns.name(), "web", "v2"), dryRun()));

    assertThat(e.failure()).isEqualTo(ClusterFailure.IMMUTABLE);
    assertThat(e.getMessage())
        .startsWith("could not dry-run apply Deployment/" + ns.name() + "/web");
  }

  @Test
  void changingAnImmutableConfigMapFailsAsAnImmutableField(
      KubernetesClient client, TestNamespace ns) {
    ClusterGateway cluster = ClusterGateway.over("test", client);
    GenericKubernetesResource frozen = configMap(ns.name(), "frozen", "blue");
    frozen.setAdditionalProperty("immutable", true);
    cluster.apply(frozen, forced());
    GenericKubernetesResource changed = configMap(ns.name(), "frozen", "green");
    changed.setAdditionalProperty("immutable", true);

    ClusterException e = failure(() -> cluster.apply(changed, dryRun()));

    assertThat(e.failure()).isEqualTo(ClusterFailure.IMMUTABLE);
  }

  @Test
  void recognisesAnImmutableFieldInEveryWayTheBuiltInKindsSayIt(
      KubernetesClient client, TestNamespace ns) {
    ClusterGateway cluster = ClusterGateway.over("test", client);
    String job =
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: once, namespace: %s}
        spec:
          template:
            spec:
              restartPolicy: Never
              containers: [{name: run, image: "busybox:%s"}]
        """;
    String service =
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: %s}
        spec: {type: ClusterIP, ports: [{port: 80}], clusterIP: %s}
        """;
    String statefulSet =
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, namespace: %s}
        spec:
          serviceName: %s
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec: {containers: [{name: db, image: "postgres:17"}]}
        """;
    String secret =
        """
        apiVersion: v1
        kind: Secret
        metadata: {name: token, namespace: %s}
        type: %s
        stringData: {username: u, password: p}
        """;
    String claim =
        """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data, namespace: %s}
        spec:
          accessModes: [ReadWriteOnce]
          storageClassName: %s
          resources: {requests: {storage: 1Gi}}
        """;
    String ordered =
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: queue, namespace: %s}
        spec:
          serviceName: queue
          podManagementPolicy: %s
          selector: {matchLabels: {app: queue}}
          template:
            metadata: {labels: {app: queue}}
            spec: {containers: [{name: queue, image: "rabbitmq:4"}]}
        """;
    List<List<String>> changes =
        List.of(
            List.of(job, "1.36", "1.37"),
            List.of(statefulSet, "db", "db-headless"),
            List.of(ordered, "OrderedReady", "Parallel"),
            List.of(secret, "Opaque", "kubernetes.io/basic-auth"),
            List.of(claim, "slow", "fast"));
    for (List<String> change : changes) {
      cluster.apply(one(change.get(0).formatted(ns.name(), change.get(1))), forced());

      ClusterException e =
          failure(
              () ->
                  cluster.apply(one(change.get(0).formatted(ns.name(), change.get(2))), dryRun()));

      assertThat(e.failure()).as(e.getMessage()).isEqualTo(ClusterFailure.IMMUTABLE);
    }
    cluster.apply(one(service.formatted(ns.name(), "null")), forced());
    String assigned =
        client.services().inNamespace(ns.name()).withName("web").get().getSpec().getClusterIP();
    String other = assigned.endsWith(".9") ? "10.0.0.8" : "10.0.0.9";

    ClusterException e =
        failure(() -> cluster.apply(one(service.formatted(ns.name(), other)), dryRun()));

    assertThat(e.failure()).as(e.getMessage()).isEqualTo(ClusterFailure.IMMUTABLE);
  }

  @Test
  void aValueTheServerRejectsIsInvalidNotImmutable(KubernetesClient client, TestNamespace ns) {
    ClusterGateway cluster = ClusterGateway.over("test", client);
    GenericKubernetesResource bad = deployment(ns.name(), "web", "web", -1);

    ClusterException e = failure(() -> cluster.apply(bad, dryRun()));

    assertThat(e.failure()).isEqualTo(ClusterFailure.INVALID);
    assertThat(e.serverMessage()).contains("replicas");
  }

  @Test
  void aUserWithoutRightsIsForbidden(LocalCluster local, TestNamespace ns) {
    Interceptor nobody =
        new Interceptor() {
          @Override
          public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            builder.setHeader("Impersonate-User", "tagflow-test-nobody");
          }
        };
    try (KubernetesClient client = local.newClient(local.serverUrl(), List.of(nobody))) {
      ClusterGateway cluster = ClusterGateway.over("nobody", client);

      ClusterException e =
          failure(() -> cluster.get(new ObjectRef("v1", "ConfigMap", ns.name(), "any")));

      assertThat(e.failure()).isEqualTo(ClusterFailure.FORBIDDEN);
      assertThat(e.serverMessage()).contains("tagflow-test-nobody");
    }
  }

  @Test
  void aKindTheServerDoesNotServeIsAGoneKind(KubernetesClient client, TestNamespace ns) {
    ClusterGateway cluster = ClusterGateway.over("test", client);

    ClusterException e =
        failure(
            () -> cluster.get(new ObjectRef("nothing.tagflow.dev/v1", "Nothing", ns.name(), "x")));

    assertThat(e.failure()).isEqualTo(ClusterFailure.GONE_KIND);
  }

  @Test
  void anUnreachableServerIsUnavailableForEveryCallAndNeverAbsent(
      LocalCluster local, TestNamespace ns) {
    try (FaultyLink link = FaultyLink.to(local.serverUrl());
        KubernetesClient client = local.newClient(link.url(), List.of())) {
      ClusterGateway cluster = ClusterGateway.over("linked", client);
      ObjectRef ref = new ObjectRef("v1", "ConfigMap", ns.name(), "a");
      cluster.apply(configMap(ns.name(), "a", "blue"), forced());

      link.cut();

      List<Runnable> calls =
          List.of(
              () -> cluster.get(ref),
              () -> cluster.apply(configMap(ns.name(), "a", "green"), forced()),
              () -> cluster.delete(ref),
              () -> cluster.list(cluster.discovery().require(ref), ns.name(), java.util.Map.of()),
              () -> cluster.discovery().find("nothing.tagflow.dev/v1", "Nothing"));
      for (Runnable call : calls) {
        assertThat(failure(call::run).failure()).isEqualTo(ClusterFailure.UNAVAILABLE);
      }
      link.pass();
      assertThat(cluster.get(ref)).isPresent();
    }
  }

  @Test
  void aServerSlowerThanTheRequestTimeoutIsUnavailable(LocalCluster local, TestNamespace ns) {
    try (FaultyLink link = FaultyLink.to(local.serverUrl());
        KubernetesClient client = local.newClient(link.url(), Duration.ofSeconds(1), List.of())) {
      ClusterGateway cluster = ClusterGateway.over("slow", client);
      ObjectRef ref = new ObjectRef("v1", "ConfigMap", ns.name(), "a");
      cluster.discovery().require(ref);

      link.delay(Duration.ofSeconds(3));

      ClusterException e = failure(() -> cluster.get(ref));
      assertThat(e.failure()).isEqualTo(ClusterFailure.UNAVAILABLE);
      assertThat(e.serverMessage()).contains("no answer within the request timeout");
    }
  }

  @Test
  void waitingTellsTimedOutFromAbsent(KubernetesClient client, TestNamespace ns) {
    ClusterGateway cluster = ClusterGateway.over("test", client);
    cluster.apply(configMap(ns.name(), "stays", "blue"), forced());

    WaitResult stays =
        cluster.waitUntil(
            new ObjectRef("v1", "ConfigMap", ns.name(), "stays"),
            java.util.Objects::isNull,
            Duration.ofSeconds(1));
    WaitResult absent =
        cluster.waitUntil(
            new ObjectRef("v1", "ConfigMap", ns.name(), "never-made"),
            java.util.Objects::isNull,
            Duration.ofSeconds(10));

    assertThat(stays).isEqualTo(new WaitResult.TimedOut(Duration.ofSeconds(1)));
    assertThat(absent).isEqualTo(new WaitResult.Reached(java.util.Optional.empty()));
  }

  private static ClusterException failure(Runnable call) {
    ClusterException e = catchThrowableOfType(ClusterException.class, call::run);
    assertThat(e).as("the call should fail with a ClusterException").isNotNull();
    return e;
  }

  private GenericKubernetesResource one(String yaml) {
    return json.readYaml(yaml).get(0);
  }

  private static ApplyCall forced() {
    return ApplyCall.forced("tagflow");
  }

  private static ApplyCall dryRun() {
    return ApplyCall.dryRun("tagflow");
  }

  private GenericKubernetesResource configMap(String namespace, String name, String colour) {
    return json.readYaml(
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: %s, namespace: %s}
            data: {colour: %s}
            """
                .formatted(name, namespace, colour))
        .get(0);
  }

  private GenericKubernetesResource deployment(String namespace, String name, String selector) {
    return deployment(namespace, name, selector, 1);
  }

  private GenericKubernetesResource deployment(
      String namespace, String name, String selector, int replicas) {
    return json.readYaml(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: %1$s, namespace: %2$s}
            spec:
              replicas: %4$d
              selector: {matchLabels: {app: %3$s}}
              template:
                metadata: {labels: {app: %3$s}}
                spec: {containers: [{name: web, image: "nginx:1"}]}
            """
                .formatted(name, namespace, selector, replicas))
        .get(0);
  }
}
