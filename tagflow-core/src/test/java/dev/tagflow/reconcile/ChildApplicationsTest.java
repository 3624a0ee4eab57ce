package dev.tagflow.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.app.ApplicationLoader;
import dev.tagflow.cluster.ObjectJson;
import dev.tagflow.render.Manifest;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChildApplicationsTest {

  private final ApplicationRegistry registry = ApplicationRegistry.withDefaults();
  private final ChildApplications children = new ChildApplications(new ApplicationLoader());

  private static Manifest manifest(String yaml) {
    return new Manifest(
        new ObjectJson().readYaml(yaml).getFirst(), "apps/children.yaml", 0, 1, false);
  }

  private static Manifest argoChild(String name) {
    return manifest(
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: %s, namespace: argocd, finalizers: [resources-finalizer.argocd.argoproj.io]}
        spec:
          project: default
          source: {repoURL: "https://github.com/argoproj/argocd-example-apps.git", path: guestbook}
          destination: {server: "https://kubernetes.default.svc", namespace: guestbook}
        """
            .formatted(name));
  }

  @Test
  void applicationsOfEitherGroupAreChildrenAndOtherKindsAreNot() {
    assertThat(ChildApplications.isApplication(argoChild("a").object())).isTrue();
    assertThat(
            ChildApplications.isApplication(
                manifest(
                        "apiVersion: tagflow.dev/v1alpha1\nkind: Application\nmetadata: {name: a}\n")
                    .object()))
        .isTrue();
    assertThat(
            ChildApplications.isApplication(
                manifest("apiVersion: example.com/v1\nkind: Application\nmetadata: {name: a}\n")
                    .object()))
        .isFalse();
    assertThat(
            ChildApplications.isApplication(
                manifest(
                        "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: a}\n")
                    .object()))
        .isFalse();
  }

  @Test
  void childrenRegisterUnderTheirParentAndABrokenOneIsReportedAlone() {
    registry.replace("files:/apps", List.of(Apps.app("root")), List.of());
    ChildApplications.Found found =
        children.read(
            List.of(
                argoChild("example.guestbook"),
                argoChild("example.helm-guestbook"),
                manifest(
                    "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: broken}\n"
                        + "spec: {sourcez: {}}\n")));

    List<String> refused = children.register(registry, "root", found);

    assertThat(registry.children("root"))
        .containsExactly("example.guestbook", "example.helm-guestbook");
    assertThat(registry.parent("example.guestbook")).contains("root");
    assertThat(refused)
        .singleElement()
        .satisfies(
            m ->
                assertThat(m)
                    .contains("apps/children.yaml:1 (as rendered):6:3: unknown field 'sourcez'"));
  }

  @Test
  void aChildNamingItsParentOrAnAncestorIsACycleAndIsRefused() {
    registry.replace("files:/apps", List.of(Apps.app("root")), List.of());
    children.register(registry, "root", children.read(List.of(argoChild("middle"))));

    List<String> refused =
        children.register(
            registry,
            "middle",
            children.read(List.of(argoChild("middle"), argoChild("root"), argoChild("leaf"))));

    assertThat(refused)
        .containsExactly(
            "apps/children.yaml:1 (as rendered):1: the child Application 'middle' has its parent's"
                + " name (a cycle); give it another name",
            "apps/children.yaml:1 (as rendered):1: the child Application 'root' names an ancestor"
                + " (root → middle → root: a cycle); give it another name");
    assertThat(registry.children("middle")).containsExactly("leaf");
    assertThat(registry.get("root")).isPresent();
  }

  @Test
  void childrenBelowTheDepthLimitAreRefused() {
    registry.replace("files:/apps", List.of(Apps.app("level0")), List.of());
    for (int level = 0; level < ChildApplications.MAX_DEPTH - 1; level++) {
      assertThat(
              children.register(
                  registry,
                  "level" + level,
                  children.read(List.of(argoChild("level" + (level + 1))))))
          .isEmpty();
    }
    String deepest = "level" + (ChildApplications.MAX_DEPTH - 1);

    List<String> refused =
        children.register(registry, deepest, children.read(List.of(argoChild("too-deep"))));

    assertThat(refused).singleElement().satisfies(m -> assertThat(m).contains("at most 5 levels"));
    assertThat(registry.get("too-deep")).isEmpty();
  }
}
