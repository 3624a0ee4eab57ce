package dev.tagflow.bench.render;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Git repository with one chart of 50 objects ({@code charts/web}: 10 each of Deployment,
 * Service, ConfigMap, ServiceAccount and Secret, from 5 templates) and environments whose values
 * files differ ({@code envs/app-0000/values.yaml}, …), committed with the {@code git} command.
 */
final class ChartRepository {

  private ChartRepository() {}

  static Path create(Path dir, int environments) {
    write(dir, "charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n");
    write(
        dir,
        "charts/web/values.yaml",
        "replicaCount: 1\ncount: 10\nimage: {repository: registry.local/web, tag: \"1.0.0\"}\n"
            + "resources: {limits: {cpu: 500m, memory: 256Mi}}\n");
    for (String kind : List.of("deployment", "service", "configmap", "serviceaccount", "secret")) {
      write(dir, "charts/web/templates/" + kind + ".yaml", template(kind));
    }
    for (int i = 0; i < environments; i++) {
      write(
          dir,
          String.format("envs/app-%04d/values.yaml", i),
          "replicaCount: " + (1 + i % 5) + "\nimage: {tag: \"1." + i + ".0\"}\n");
    }
    git(dir, "init", "-q", "-b", "main", ".");
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "chart and environments");
    return dir;
  }

  private static String template(String kind) {
    String object =
        switch (kind) {
          case "deployment" ->
              """
              apiVersion: apps/v1
              kind: Deployment
              metadata:
                name: {{ $.Release.Name }}-{{ $i }}
                labels: {app: {{ $.Release.Name }}, index: "{{ $i }}"}
              spec:
                replicas: {{ $.Values.replicaCount }}
                selector: {matchLabels: {app: {{ $.Release.Name }}, index: "{{ $i }}"}}
                template:
                  metadata: {labels: {app: {{ $.Release.Name }}, index: "{{ $i }}"}}
                  spec:
                    containers:
                      - name: web
                        image: "{{ $.Values.image.repository }}:{{ $.Values.image.tag }}"
                        resources: {{ toJson $.Values.resources }}
              """;
          case "service" ->
              """
              apiVersion: v1
              kind: Service
              metadata: {name: {{ $.Release.Name }}-{{ $i }}}
              spec:
                selector: {app: {{ $.Release.Name }}, index: "{{ $i }}"}
                ports: [{port: 80, targetPort: 8080}]
              """;
          case "configmap" ->
              """
              apiVersion: v1
              kind: ConfigMap
              metadata: {name: {{ $.Release.Name }}-{{ $i }}}
              data: {index: "{{ $i }}", tag: "{{ $.Values.image.tag }}"}
              """;
          case "serviceaccount" ->
              """
              apiVersion: v1
              kind: ServiceAccount
              metadata: {name: {{ $.Release.Name }}-{{ $i }}}
              """;
          default ->
              """
              apiVersion: v1
              kind: Secret
              metadata: {name: {{ $.Release.Name }}-{{ $i }}}
              stringData: {token: "t-{{ $i }}"}
              """;
        };
    return "{{- range $i := until (int .Values.count) }}\n---\n" + object + "{{- end }}\n";
  }

  private static void write(Path dir, String path, String content) {
    try {
      Path file = dir.resolve(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void git(Path dir, String... args) {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().put("GIT_AUTHOR_NAME", "Bench");
    builder.environment().put("GIT_AUTHOR_EMAIL", "bench@tagflow.dev");
    builder.environment().put("GIT_COMMITTER_NAME", "Bench");
    builder.environment().put("GIT_COMMITTER_EMAIL", "bench@tagflow.dev");
    builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
    builder.redirectErrorStream(true);
    try {
      Files.createDirectories(dir);
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
