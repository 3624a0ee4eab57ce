package dev.tagflow.diff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.cluster.ObjectRef;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DriftFieldsTest {

  private static final ObjectRef WEB = new ObjectRef("apps/v1", "Deployment", "shop", "web");

  private final ManagedView views = new ManagedView();

  @Test
  void aFieldAnotherManagerTookIsNamedWithThatManager() {
    ManagedView.Views result =
        views.compare(
            WEB,
            Fixtures.tree("deployment-live.yaml"),
            Fixtures.tree("deployment-dryrun.yaml"),
            "tagflow",
            List.of());

    assertThat(result.fields())
        .containsExactly(new FieldDrift("spec.replicas", List.of("hpa-controller")));
  }

  @Test
  void equalViewsHaveNoFields() {
    ManagedView.Views result =
        views.compare(
            WEB,
            Fixtures.tree("deployment-live.yaml"),
            Fixtures.tree("deployment-live.yaml"),
            "tagflow",
            List.of());

    assertThat(result.fields()).isEmpty();
  }

  @Test
  void aContainerIsNamedByItsNameAndALabelKeyWithDotsIsQuoted() {
    Map<String, Object> editedImage =
        Map.of(
            "manager",
            "kubectl-edit",
            "fieldsV1",
            Map.of(
                "f:spec",
                Map.of(
                    "f:containers", Map.of("k:{\"name\":\"web\"}", Map.of("f:image", Map.of())))));
    Map<String, Object> live =
        Map.of(
            "metadata",
            Map.of(
                "labels",
                Map.of("app.kubernetes.io/name", "old"),
                "managedFields",
                List.of(editedImage)),
            "spec",
            Map.of("containers", List.of(Map.of("name", "web", "image", "web:2"))));
    Map<String, Object> liveView =
        Map.of(
            "metadata",
            Map.of("labels", Map.of("app.kubernetes.io/name", "old")),
            "spec",
            Map.of("containers", List.of(Map.of("name", "web", "image", "web:2"))));
    Map<String, Object> desiredView =
        Map.of(
            "metadata",
            Map.of("labels", Map.of("app.kubernetes.io/name", "new")),
            "spec",
            Map.of("containers", List.of(Map.of("name", "web", "image", "web:1"))));

    List<FieldDrift> fields = DriftFields.between(liveView, desiredView, live, "tagflow");

    assertThat(fields)
        .containsExactlyInAnyOrder(
            new FieldDrift("metadata.labels[\"app.kubernetes.io/name\"]", List.of()),
            new FieldDrift("spec.containers[name=web].image", List.of("kubectl-edit")));
  }
}
