package dev.tagflow.diff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.cluster.ApiResource;
import dev.tagflow.cluster.ObjectJson;
import dev.tagflow.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerFieldsTest {

  private static final ApiResource CONFIG_MAPS =
      new ApiResource("", "v1", "ConfigMap", "configmaps", true);
  private static final ObjectRef SETTINGS = new ObjectRef("v1", "ConfigMap", "shop", "settings");

  /**
   * A ConfigMap as {@code kubectl get -o yaml} prints it, every field the server sets filled in;
   * the {@code tagflow} managedFields entry claims all of them, as a hand-edited or hostile entry
   * could, so that only stripping (not trimming to what Tagflow owns) can leave them out of a view.
   */
  private static final String EXPORTED =
      """
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: settings
        namespace: shop
        labels: {app: web}
        resourceVersion: "4711"
        uid: 0b6f1d1e-7c55-4c43-9d55-0a0a0a0a0a0a
        generation: 3
        creationTimestamp: "2026-12-01T10:00:00Z"
        selfLink: /api/v1/namespaces/shop/configmaps/settings
        deletionTimestamp: "2026-12-06T10:00:00Z"
        deletionGracePeriodSeconds: 30
        managedFields:
        - manager: tagflow
          operation: Apply
          apiVersion: v1
          fieldsType: FieldsV1
          fieldsV1:
            f:data: {f:mode: {}}
            f:metadata:
              f:labels: {f:app: {}}
              f:resourceVersion: {}
              f:uid: {}
              f:generation: {}
              f:creationTimestamp: {}
              f:selfLink: {}
              f:deletionTimestamp: {}
              f:deletionGracePeriodSeconds: {}
            f:status: {}
      data: {mode: fast}
      status: {phase: Bound}
      """;

  private final ObjectJson json = new ObjectJson();

  @Test
  void aTypedObjectAndATreeLoseTheSameFieldsAndKeepTheRest() {
    GenericKubernetesResource typed = json.readYaml(EXPORTED).getFirst();
    Map<String, Object> tree = json.readYamlTree(EXPORTED);

    ServerFields.stripFrom(typed);
    ServerFields.stripFrom(tree);

    assertThat(json.toMap(typed)).isEqualTo(tree);
    assertThat(tree).containsOnlyKeys("apiVersion", "kind", "metadata", "data");
    assertThat(metadata(tree)).containsOnlyKeys("name", "namespace", "labels");
  }

  @Test
  void theDesiredObjectAndTheComparedViewsDropEveryFieldTheServerSets() {
    GenericKubernetesResource prepared =
        new DesiredObject(json)
            .prepare(json.readYaml(EXPORTED).getFirst(), CONFIG_MAPS, "web-dev", "shop");
    Map<String, Object> exported = json.readYamlTree(EXPORTED);
    ManagedView.Views views =
        new ManagedView().compare(SETTINGS, exported, exported, "tagflow", List.of());

    Map<String, Object> sent = json.toMap(prepared);
    for (Map<String, Object> object : List.of(sent, views.live(), views.desired())) {
      assertThat(object).doesNotContainKey("status");
      assertThat(metadata(object)).doesNotContainKeys(namesArray());
    }
    // What is left of the metadata is the same on both paths, but for the marks Tagflow adds.
    assertThat(metadata(views.desired())).containsOnlyKeys("name", "namespace", "labels");
    assertThat(metadata(sent)).containsOnlyKeys("name", "namespace", "labels", "annotations");
    assertThat(views.equal()).isTrue();
  }

  @Test
  void aTreeSharedWithTheOriginalIsNotChangedThroughItsMetadata() {
    Map<String, Object> original = json.readYamlTree(EXPORTED);
    Map<String, Object> view = new LinkedHashMap<>(original);

    ServerFields.stripFrom(view);

    assertThat(metadata(original)).containsKeys(namesArray());
    assertThat(original).containsKey("status");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> metadata(Map<String, Object> object) {
    return (Map<String, Object>) object.get("metadata");
  }

  private static String[] namesArray() {
    return ServerFields.metadataNames().toArray(String[]::new);
  }
}
