package dev.tagflow.diff;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldSetTest {

  @Test
  @SuppressWarnings("unchecked")
  void trimsAnObjectToTheFieldsItsManagerOwnsPickingListElementsByKey() {
    Map<String, Object> live = Fixtures.tree("deployment-live.yaml");

    Map<String, Object> trimmed = ManagedView.ownedBy(live, "tagflow").trim(live);

    Map<String, Object> spec = (Map<String, Object>) trimmed.get("spec");
    assertThat(spec).doesNotContainKeys("replicas", "revisionHistoryLimit");
    assertThat(trimmed).doesNotContainKey("status");
    Map<String, Object> podSpec =
        (Map<String, Object>) ((Map<String, Object>) spec.get("template")).get("spec");
    List<Map<String, Object>> containers = (List<Map<String, Object>>) podSpec.get("containers");
    assertThat(containers).hasSize(1);
    assertThat(containers.get(0))
        .containsEntry("name", "main")
        .containsEntry("image", "example.invalid/web:1.0.0")
        .doesNotContainKey("imagePullPolicy");
    assertThat((Map<String, Object>) ((Map<String, Object>) trimmed.get("metadata")).get("labels"))
        .containsOnlyKeys("app.kubernetes.io/managed-by");
  }

  @Test
  @SuppressWarnings("unchecked")
  void removesTheFieldsAnotherManagerOwns() {
    Map<String, Object> live = Fixtures.tree("deployment-live.yaml");

    ManagedView.ownedBy(live, "hpa-controller").removeFrom(live);

    assertThat((Map<String, Object>) live.get("spec"))
        .doesNotContainKey("replicas")
        .containsKey("template");
  }

  @Test
  void aManagerWithoutEntriesOwnsNothing() {
    assertThat(ManagedView.ownedBy(Fixtures.tree("deployment-live.yaml"), "nobody").isEmpty())
        .isTrue();
  }

  @Test
  void picksSetItemsByValueAndListItemsByIndex() {
    // v: as the API server writes set items (finalizers); i: as structured-merge-diff writes an
    // item of a list that has neither keys nor set semantics. FieldSetIT checks v: and k: against
    // a real API server, which writes no i: for built-in kinds.
    FieldSet set =
        FieldSet.of(
            Map.of(
                "f:metadata",
                Map.of("f:finalizers", Map.of(".", Map.of(), "v:\"example.com/a\"", Map.of())),
                "f:spec",
                Map.of("f:steps", Map.of("i:1", Map.of("f:name", Map.of())))));
    Map<String, Object> object =
        Map.of(
            "metadata",
            Map.of("finalizers", List.of("example.com/a", "example.com/b")),
            "spec",
            Map.of(
                "steps", List.of(Map.of("name", "build", "x", 1), Map.of("name", "test", "x", 2))));

    Map<String, Object> trimmed = set.trim(object);

    assertThat(trimmed)
        .isEqualTo(
            Map.of(
                "metadata",
                Map.of("finalizers", List.of("example.com/a")),
                "spec",
                Map.of("steps", List.of(Map.of("name", "test")))));
  }
}
