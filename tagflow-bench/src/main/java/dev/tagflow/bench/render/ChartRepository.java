package dev.tagflow.bench.render;

import dev.tagflow.local.git.GitWorkTree;
import java.nio.file.Path;
import java.util.List;

/**
 * A Git repository with one chart of 50 objects ({@code charts/web}: 10 each of Deployment,
 * Service, ConfigMap, ServiceAccount and Secret, from 5 templates) and environments whose values
 * files differ ({@code envs/app-0000/values.yaml}, …), committed with the {@code git} command.
 */
final class ChartRepository {

  private ChartRepository() {}

  static Path create(Path dir, int environments) {
    GitWorkTree repo = GitWorkTree.init(dir);
    repo.write("charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n");
    repo.write(
        "charts/web/values.yaml",
        "replicaCount: 1\ncount: 10\nimage: {repository: registry.local/web, tag: \"1.0.0\"}\n"
            + "resources: {limits: {cpu: 500m, memory: 256Mi}}\n");
    for (String kind : List.of("deployment", "service", "configmap", "serviceaccount", "secret")) {
      repo.write("charts/web/templates/" + kind + ".yaml", template(kind));
    }
    for (int i = 0; i < environments; i++) {
      repo.write(
          String.format("envs/app-%04d/values.yaml", i),
          "replicaCount: " + (1 + i % 5) + "\nimage: {tag: \"1." + i + ".0\"}\n");
    }
    repo.commit("chart and environments");
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
}
