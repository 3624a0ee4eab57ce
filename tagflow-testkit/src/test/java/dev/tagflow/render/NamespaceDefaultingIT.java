package dev.tagflow.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.tagflow.GroupKind;
import dev.tagflow.source.Revision;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Namespaces are defaulted from what the real API server's discovery says about each kind. */
@ExtendWith(LocalClusterExtension.class)
class NamespaceDefaultingIT {

  @TempDir Path root;

  @Test
  void defaultsTheNamespaceOfKindsDiscoverySaysAreNamespaced(
      KubernetesClient client, TestNamespace ns) {
    RenderTarget target = new RenderTarget(ns.name(), discover(client));
    try (RenderRepository repo = new RenderRepository(root, Optional.empty())) {
      repo.write(
          "app/objects.yaml",
          """
          apiVersion: v1
          kind: ConfigMap
          metadata: {name: settings}
          ---
          apiVersion: scheduling.k8s.io/v1
          kind: PriorityClass
          metadata: {name: tagflow-render-it}
          value: 1000
          ---
          apiVersion: networking.k8s.io/v1
          kind: NetworkPolicy
          metadata: {name: deny-all}
          spec: {podSelector: {}}
          ---
          apiVersion: storage.k8s.io/v1
          kind: StorageClass
          metadata: {name: tagflow-render-it}
          provisioner: example.com/none
          """);
      Revision revision = repo.commit("objects");

      List<Manifest> manifests =
          repo.renderer.render(
              new RenderSource("web", repo.url(), "app", "main", SourceKind.Directory.plain()),
              revision,
              target);

      assertThat(manifests)
          .extracting(m -> m.object().getKind(), m -> m.object().getMetadata().getNamespace())
          .containsExactly(
              tuple("ConfigMap", ns.name()),
              tuple("PriorityClass", null),
              tuple("NetworkPolicy", ns.name()),
              tuple("StorageClass", null));
      // The defaulted namespace is one the API server takes as it is.
      client.resource(manifests.get(0).object()).create();
      assertThat(client.configMaps().inNamespace(ns.name()).withName("settings").get()).isNotNull();
    }
  }

  /** What {@code kubectl api-resources} reads, as the renderer's capabilities. */
  static Capabilities discover(KubernetesClient client) {
    Set<String> versions = new HashSet<>();
    Set<GroupKind> namespaced = new HashSet<>();
    Set<GroupKind> cluster = new HashSet<>();
    List<String> groupVersions = new java.util.ArrayList<>(List.of("v1"));
    for (APIGroup group : client.getApiGroups().getGroups()) {
      for (GroupVersionForDiscovery version : group.getVersions()) {
        groupVersions.add(version.getGroupVersion());
      }
    }
    for (String groupVersion : groupVersions) {
      versions.add(groupVersion);
      String group =
          groupVersion.contains("/") ? groupVersion.substring(0, groupVersion.indexOf('/')) : "";
      var resources =
          groupVersion.equals("v1")
              ? client.getApiResources("v1")
              : client.getApiResources(groupVersion);
      for (APIResource resource : resources.getResources()) {
        if (resource.getName().contains("/")) {
          continue; // subresources
        }
        GroupKind kind = new GroupKind(group, resource.getKind());
        (Boolean.TRUE.equals(resource.getNamespaced()) ? namespaced : cluster).add(kind);
      }
    }
    String version =
        "v"
            + client.getKubernetesVersion().getMajor()
            + "."
            + client.getKubernetesVersion().getMinor();
    return new Capabilities(version, versions, namespaced, cluster);
  }
}
