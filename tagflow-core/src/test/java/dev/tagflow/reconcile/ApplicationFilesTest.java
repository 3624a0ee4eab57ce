package dev.tagflow.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.app.ApplicationLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplicationFilesTest {

  @TempDir Path apps;

  private final ApplicationRegistry registry = ApplicationRegistry.withDefaults();
  private ApplicationFiles files;

  @AfterEach
  void close() {
    if (files != null) {
      files.close();
    }
  }

  private static String app(String name, String path) {
    return """
        apiVersion: tagflow.dev/v1alpha1
        kind: Application
        metadata: {name: %s}
        spec:
          source: {repoURL: https://git.example.com/acme/env.git, path: %s}
          destination: {cluster: local, namespace: shop}
        """
        .formatted(name, path);
  }

  private String pathOf(String name) {
    return registry.get(name).map(a -> a.source().path()).orElse(null);
  }

  @Test
  void filesAddedChangedAndDeletedWhileWatchedChangeTheApplications() throws IOException {
    Files.writeString(apps.resolve("web.yaml"), app("web", "envs/web"));
    files = new ApplicationFiles(apps, registry, new ApplicationLoader());
    files.load();
    files.watch();

    Files.writeString(apps.resolve("db.yml"), app("db", "envs/db"));
    await().atMost(Duration.ofSeconds(30)).until(() -> registry.get("db").isPresent());
    Files.writeString(apps.resolve("web.yaml"), app("web", "envs/web-v2"));
    await().atMost(Duration.ofSeconds(30)).until(() -> "envs/web-v2".equals(pathOf("web")));
    Files.delete(apps.resolve("db.yml"));
    await().atMost(Duration.ofSeconds(30)).until(() -> registry.get("db").isEmpty());

    assertThat(registry.list())
        .extracting(r -> r.application().name() + "@" + r.source())
        .containsExactly("web@files:" + apps.toAbsolutePath().normalize());
  }

  @Test
  void onlyYamlFilesAreRead() throws IOException {
    Files.writeString(apps.resolve("web.yaml"), app("web", "envs/web"));
    Files.writeString(apps.resolve("README.md"), "# not an application\n");
    Files.writeString(apps.resolve(".web.yaml.swp"), "editor swap file");

    files = new ApplicationFiles(apps, registry, new ApplicationLoader());
    files.load();

    assertThat(registry.list()).hasSize(1);
    assertThat(registry.problems()).isEmpty();
  }

  @Test
  void aDirectoryThatCannotBeListedChangesNothing() throws IOException {
    Files.writeString(apps.resolve("web.yaml"), app("web", "envs/web"));
    files = new ApplicationFiles(apps, registry, new ApplicationLoader());
    files.load();

    Files.delete(apps.resolve("web.yaml"));
    Files.delete(apps);
    files.load();

    assertThat(registry.get("web")).isPresent();
    assertThat(registry.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("cannot list the directory"));
  }
}
