package dev.tagflow.cli;

import dev.tagflow.NodeText;
import dev.tagflow.TagflowException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The options of {@code cluster up} and {@code down} about the user's kubeconfig, and what they do
 * with it: the cluster's context {@code tagflow-<name>} added and made current, then removed with
 * the context current before restored (kept in the cluster's folder meanwhile).
 */
final class KubeconfigUpdateOptions {

  /** The context that was current before {@code up}, in the cluster's folder. */
  private static final String PREVIOUS = "previous-context";

  @Option(
      names = "--no-kubeconfig-update",
      description =
          "Leave the user's kubeconfig alone (by default 'up' adds the cluster's context"
              + " and makes it current, 'down' removes it).")
  boolean noUpdate;

  @Option(
      names = "--kubeconfig",
      paramLabel = "<file>",
      description =
          "The kubeconfig to update (default: $KUBECONFIG's first file, else ~/.kube/config).")
  Path kubeconfig;

  UserKubeconfig target() {
    return kubeconfig != null ? new UserKubeconfig(kubeconfig) : UserKubeconfig.ofUser();
  }

  /** The cluster's context name in the user's kubeconfig, as kind names its own kind-<name>. */
  static String contextOf(String cluster) {
    return "tagflow-" + cluster;
  }

  /**
   * Adds the running cluster of {@code state} as {@code tagflow-<name>}; what was current before.
   */
  Optional<String> add(String cluster, Path state) {
    JsonNode own = read(state.resolve("kubeconfig"));
    UserKubeconfig.Entries entries =
        UserKubeconfig.Entries.of(
            contextOf(cluster),
            NodeText.of(own.path("clusters").path(0).path("cluster").path("server")),
            NodeText.of(
                own.path("clusters").path(0).path("cluster").path("certificate-authority-data")),
            NodeText.of(own.path("users").path(0).path("user").path("client-certificate-data")),
            NodeText.of(own.path("users").path(0).path("user").path("client-key-data")));
    Optional<String> previous = target().add(entries);
    // A second 'up' keeps what the first one found current.
    Path file = state.resolve(PREVIOUS);
    if (!Files.exists(file)) {
      try {
        Files.writeString(file, previous.orElse("") + "\n", StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw TagflowException.failed("could not write " + file + ": " + e.getMessage(), e);
      }
    }
    return previous;
  }

  /**
   * Removes {@code tagflow-<name>}, restoring the context current before 'up'; whether it was
   * there.
   */
  boolean remove(String cluster, Path state) {
    Path file = state.resolve(PREVIOUS);
    Optional<String> previous = Optional.empty();
    try {
      if (Files.exists(file)) {
        previous =
            Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip())
                .filter(p -> !p.isEmpty());
      }
    } catch (IOException e) {
      throw TagflowException.failed("could not read " + file + ": " + e.getMessage(), e);
    }
    return target().remove(contextOf(cluster), previous);
  }

  private static JsonNode read(Path kubeconfig) {
    try {
      // The kubeconfig the local cluster wrote: its fields read here are text in YAML 1.1 and 1.2.
      return YAMLMapper.builder().configureForJackson2().build().readTree(kubeconfig.toFile());
    } catch (JacksonException e) {
      throw TagflowException.failed(
          "could not read the cluster's kubeconfig " + kubeconfig + ": " + e.getMessage(), e);
    }
  }
}
