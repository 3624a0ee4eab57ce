package dev.tagflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApplicationNameTest {

  private static String app(String name) {
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: "%s", namespace: argocd}
        spec:
          source: {repoURL: "https://github.com/argoproj/argocd-example-apps.git", path: guestbook}
          destination: {server: "https://kubernetes.default.svc", namespace: guestbook}
        """
        .formatted(name);
  }

  @Test
  void argoCdsDottedNamesLoad() {
    assertThat(new ApplicationLoader().load("apps.yaml", app("example.guestbook")))
        .extracting(Application::name)
        .containsExactly("example.guestbook");
  }

  @Test
  void aNameOf253CharactersLoadsAndOneMoreIsRefusedWithItsPlace() {
    String longest =
        "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(61);
    assertThat(longest).hasSize(253);
    assertThat(new ApplicationLoader().load("apps.yaml", app(longest))).hasSize(1);

    assertThatThrownBy(() -> new ApplicationLoader().load("apps.yaml", app(longest + "e")))
        .isInstanceOf(InvalidApplicationException.class)
        .hasMessageContaining("apps.yaml:3:")
        .hasMessageContaining("is 254 characters long; at most 253 are allowed");
  }

  @Test
  void dotsMustSeparateLettersOrDigits() {
    assertThat(ApplicationName.problem("example.guestbook")).isEmpty();
    assertThat(ApplicationName.problem("example..guestbook")).isPresent();
    assertThat(ApplicationName.problem(".guestbook")).isPresent();
    assertThat(ApplicationName.problem("guestbook.")).isPresent();
    assertThat(ApplicationName.problem("example.-guestbook")).isPresent();
    assertThat(ApplicationName.problem("Example.guestbook")).isPresent();
    assertThat(ApplicationName.problem("example_guestbook")).isPresent();
    assertThat(ApplicationName.problem("")).isPresent();
  }

  @Test
  void dependsOnTakesDottedNames() {
    Application app =
        new ApplicationLoader()
            .load(
                "web.yaml",
                """
                apiVersion: tagflow.dev/v1alpha1
                kind: Application
                metadata: {name: web}
                spec:
                  source: {repoURL: "https://git.example.com/env.git", path: web}
                  destination: {cluster: local, namespace: web}
                  dependsOn: [example.database]
                """)
            .getFirst();
    assertThat(app.dependsOn()).containsExactly("example.database");
  }
}
