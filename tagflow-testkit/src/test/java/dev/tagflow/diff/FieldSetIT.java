package dev.tagflow.diff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.cluster.ObjectJson;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link FieldSet} on the managedFields the real API server writes: list items picked by key
 * ({@code k:}) and set items picked by value ({@code v:}), with two managers sharing one list.
 */
@ExtendWith(LocalClusterExtension.class)
class FieldSetIT {

  private final ObjectJson json = new ObjectJson();

  @Test
  @SuppressWarnings("unchecked")
  void trimsALiveObjectToExactlyWhatItsManagerAppliedWhenAnotherManagerSharesItsSets(
      KubernetesClient client, TestNamespace ns) {
    apply(client, "tagflow", deployment(ns, List.of("example.com/a", "example.com/b")));
    // Another manager adds a finalizer of its own and a label: set items it owns by value.
    apply(client, "other", otherManagersPart(ns));
    Map<String, Object> live =
        json.toMap(
            client
                .genericKubernetesResources("apps/v1", "Deployment")
                .inNamespace(ns.name())
                .withName("web")
                .get());

    Map<String, Object> ours = ManagedView.ownedBy(live, "tagflow").trim(live);
    Map<String, Object> theirs = ManagedView.ownedBy(live, "other").trim(live);

    Map<String, Object> metadata = (Map<String, Object>) ours.get("metadata");
    assertThat((List<String>) metadata.get("finalizers"))
        .containsExactly("example.com/a", "example.com/b");
    assertThat((Map<String, Object>) metadata.get("labels")).containsOnlyKeys("app");
    assertThat((List<String>) ((Map<String, Object>) theirs.get("metadata")).get("finalizers"))
        .containsExactly("example.com/other");
    Map<String, Object> container = container(ours);
    assertThat(container)
        .containsEntry("name", "main")
        .containsEntry("args", List.of("--port", "8080"))
        // Defaults the server filled in are nobody's apply.
        .doesNotContainKeys("imagePullPolicy", "terminationMessagePath");
    assertThat((List<Map<String, Object>>) container.get("ports"))
        .extracting(port -> port.get("containerPort"))
        .containsExactly(8080, 9090);
    assertThat((List<Map<String, Object>>) container.get("env"))
        .extracting(env -> env.get("name"))
        .containsExactly("MODE", "LEVEL");

    ManagedView.ownedBy(live, "other").removeFrom(live);
    assertThat((List<String>) ((Map<String, Object>) live.get("metadata")).get("finalizers"))
        .containsExactly("example.com/a", "example.com/b");
    // The finalizers stay on the test's namespace otherwise: take them off for cleanup.
    apply(client, "tagflow", deployment(ns, List.of()));
    apply(client, "other", otherManagersPartWithout(ns));
  }

  private static void apply(KubernetesClient client, String manager, GenericKubernetesResource o) {
    client.resource(o).fieldManager(manager).forceConflicts().serverSideApply();
  }

  private GenericKubernetesResource deployment(TestNamespace ns, List<String> finalizers) {
    return json.fromMap(
        json.readYamlTree(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: %s
              labels: {app: web}
              finalizers: %s
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                    - name: main
                      image: example.invalid/web:1.0.0
                      args: ["--port", "8080"]
                      ports: [{containerPort: 8080}, {containerPort: 9090, protocol: UDP}]
                      env: [{name: MODE, value: fast}, {name: LEVEL, value: "3"}]
            """
                .formatted(ns.name(), toFlow(finalizers))));
  }

  private GenericKubernetesResource otherManagersPart(TestNamespace ns) {
    return json.fromMap(
        json.readYamlTree(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: %s
              labels: {team: payments}
              finalizers: [example.com/other]
            """
                .formatted(ns.name())));
  }

  private GenericKubernetesResource otherManagersPartWithout(TestNamespace ns) {
    return json.fromMap(
        json.readYamlTree(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: %s}
            """
                .formatted(ns.name())));
  }

  private static String toFlow(List<String> items) {
    return "[" + String.join(", ", items) + "]";
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> container(Map<String, Object> deployment) {
    Map<String, Object> spec = (Map<String, Object>) deployment.get("spec");
    Map<String, Object> podSpec =
        (Map<String, Object>) ((Map<String, Object>) spec.get("template")).get("spec");
    return ((List<Map<String, Object>>) podSpec.get("containers")).getFirst();
  }
}
