package dev.tagflow.demo;

import dev.tagflow.TagflowException;
import dev.tagflow.local.git.GitWorkTree;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The demo's two repositories as resource files under {@code dev/tagflow/demo/} (read them as
 * examples), with {@code REGISTRY} and {@code ENVIRONMENTS_URL} written in when they are copied.
 */
final class DemoFiles {

  static final List<String> APP =
      List.of(
          ".github/workflows/release.yml",
          "src/main/java/demo/web/Greeting.java",
          "src/main/java/demo/web/WebServer.java",
          "src/test/java/demo/web/GreetingTest.java");

  static final List<String> ENVIRONMENTS =
      List.of(
          "helm-charts/app/Chart.yaml",
          "helm-charts/app/values.yaml",
          "helm-charts/app/templates/deployment.yaml",
          "helm-charts/app/templates/service.yaml",
          "environments/policy.yaml",
          "environments/dev/values.yaml",
          "environments/staging/values.yaml",
          "environments/production/values.yaml",
          "apps/web-dev.yaml",
          "apps/web-staging.yaml",
          "apps/web-production.yaml");

  private DemoFiles() {}

  /** Writes the files of {@code repository} ({@code app} or {@code environments}) into the tree. */
  static void copy(
      String repository, List<String> files, Map<String, String> values, GitWorkTree tree) {
    for (String file : files) {
      tree.write(file, text(repository + "/" + file, values));
    }
  }

  static String text(String resource, Map<String, String> values) {
    try (InputStream in = DemoFiles.class.getResourceAsStream(resource)) {
      String text =
          new String(
              Objects.requireNonNull(in, "demo resource " + resource).readAllBytes(),
              StandardCharsets.UTF_8);
      for (Map.Entry<String, String> value : values.entrySet()) {
        text = text.replace(value.getKey(), value.getValue());
      }
      return text;
    } catch (IOException e) {
      throw TagflowException.failed("could not read the demo's " + resource, e);
    }
  }

  static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw TagflowException.failed("could not write " + file + ": " + e.getMessage(), e);
    }
  }
}
