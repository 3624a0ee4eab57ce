package dev.tagflow.server.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.app.Application;
import dev.tagflow.app.ApplicationLoader;
import dev.tagflow.server.events.PromotionDrafts;
import dev.tagflow.store.PromotionRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one rule for an application's environment, and the permission objects built on it. */
class ApplicationEnvironmentTest {

  private static final String REPO = "http://127.0.0.1:7070/git/acme/environments.git";

  private static Application app(
      String name, String project, String labels, String path, String ns) {
    return new ApplicationLoader()
        .load(
            name + ".yaml",
            """
            apiVersion: tagflow.dev/v1alpha1
            kind: Application
            metadata: {name: %s, labels: {%s}}
            spec:
              project: %s
              source: {repoURL: "%s", targetRevision: main, path: "%s"}
              destination: {cluster: local, namespace: %s}
            """
                .formatted(name, labels, project, REPO, path, ns))
        .getFirst();
  }

  private static String environmentOf(String labels, String path) {
    return ApplicationEnvironment.of(app("web", "shop", labels, path, "shop-ns"));
  }

  @Test
  void eachSourceAloneNamesTheEnvironment() {
    assertThat(environmentOf("tagflow.dev/environment: qa", "manifests")).isEqualTo("qa");
    assertThat(environmentOf("environment: staging", "manifests")).isEqualTo("staging");
    assertThat(environmentOf("env: dev", "manifests")).isEqualTo("dev");
    assertThat(environmentOf("", "deploy/environments/production/web")).isEqualTo("production");
    assertThat(environmentOf("", "manifests")).isEqualTo("shop-ns");
  }

  @Test
  void theSourcesAreReadInTheirDocumentedOrder() {
    String path = "environments/production";
    assertThat(environmentOf("tagflow.dev/environment: qa, environment: staging, env: dev", path))
        .isEqualTo("qa");
    assertThat(environmentOf("environment: staging, env: dev", path)).isEqualTo("staging");
    assertThat(environmentOf("env: dev", path)).isEqualTo("dev");
    assertThat(environmentOf("", path)).isEqualTo("production");
  }

  @Test
  void aBlankLabelOrAnEmptyFolderIsNoSource() {
    assertThat(environmentOf("tagflow.dev/environment: \" \", env: dev", "p")).isEqualTo("dev");
    assertThat(environmentOf("environment: \"\"", "environments/production"))
        .isEqualTo("production");
    // environments/ as the last folder names nothing: the namespace decides.
    assertThat(environmentOf("", "environments")).isEqualTo("shop-ns");
    assertThat(environmentOf("", "environments//web")).isEqualTo("shop-ns");
    // A folder only named like it is not it.
    assertThat(environmentOf("", "my-environments/production")).isEqualTo("shop-ns");
  }

  @Test
  void theApplicationsObjectIsProjectEnvironmentName() {
    assertThat(
            ApplicationEnvironment.objectOf(
                app("web-prod", "shop", "env: production", "manifests", "web")))
        .isEqualTo("shop/production/web-prod");
  }

  @Test
  void aPromotionTakesTheProjectOfTheApplicationOfItsEnvironmentAndRepository() {
    Application production = app("web-prod", "shop", "", "environments/production", "web");
    Application staging = app("web-stg", "other", "", "environments/staging", "web");
    List<Application> apps = List.of(staging, production);
    assertThat(ApplicationEnvironment.objectOf(promotion("production", REPO), apps))
        .isEqualTo("shop/production/web");
    // By the repository's name as well as by its URL.
    assertThat(ApplicationEnvironment.objectOf(promotion("production", "acme/environments"), apps))
        .isEqualTo("shop/production/web");
    // Another repository, another environment, or no application: no project is known.
    assertThat(ApplicationEnvironment.objectOf(promotion("production", "acme/other"), apps))
        .isEqualTo("-/production/web");
    assertThat(ApplicationEnvironment.objectOf(promotion("qa", REPO), apps)).isEqualTo("-/qa/web");
    assertThat(ApplicationEnvironment.objectOf(promotion("production", REPO), List.of()))
        .isEqualTo("-/production/web");
  }

  @Test
  void twoApplicationsOfOneEnvironmentAndRepositoryGiveTheFirstByName() {
    Application b = app("web-b", "blue", "", "environments/production/b", "b");
    Application a = app("web-a", "amber", "", "environments/production/a", "a");
    assertThat(ApplicationEnvironment.objectOf(promotion("production", REPO), List.of(b, a)))
        .isEqualTo("amber/production/web");
  }

  @Test
  void aProjectScopedGrantMatchesAPromotionOfThatProject() {
    Authorizer authorizer =
        Authorizer.withConfigured(
            "test",
            """
            g, dan, role:x
            p, role:x, promotions, get, shop/*, allow
            p, role:x, promotions, approve, shop/*, allow
            """);
    Application production = app("web-prod", "shop", "", "environments/production", "web");
    Set<String> dan = Set.of("dan");
    String object =
        ApplicationEnvironment.objectOf(promotion("production", REPO), List.of(production));
    assertThat(authorizer.allows(dan, Permission.of("promotions/get"), object)).isTrue();
    assertThat(authorizer.allows(dan, Permission.of("promotions/approve"), object)).isTrue();
    // A promotion no application of the project explains stays out of reach of the grant.
    String unknown =
        ApplicationEnvironment.objectOf(promotion("production", "acme/other"), List.of(production));
    assertThat(authorizer.allows(dan, Permission.of("promotions/get"), unknown)).isFalse();
  }

  private static PromotionRecord promotion(String environment, String repository) {
    Instant at = Instant.parse("2026-12-06T12:00:00Z");
    return new PromotionRecord(
        1,
        PromotionDrafts.web123Into(repository, environment),
        PromotionRecord.PromotionState.PENDING,
        "",
        Optional.empty(),
        List.of(),
        at,
        at);
  }
}
