package dev.tagflow.cluster;

import dev.tagflow.TagflowException;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.model.jackson.Jackson2JdkTypesModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.json.JsonMapper;

/**
 * The clusters Tagflow talks to, one {@link ClusterGateway} per kubeconfig context, opened on first
 * use and kept (a connection holds watches and a discovery cache worth keeping).
 */
public final class ClusterConnections implements AutoCloseable {

  private final Path kubeconfig;
  private final Map<String, ClusterGateway> open = new ConcurrentHashMap<>();
  // One for every context's client and every reading of the file: Jackson learns fabric8's types
  // once, not at each credential refresh (KubeconfigConfig).
  private final KubernetesSerialization serialization = untypedSerialization();

  /** Connections from the contexts of this kubeconfig file. */
  public ClusterConnections(Path kubeconfig) {
    this.kubeconfig = kubeconfig;
  }

  /**
   * The gateway for a context of the kubeconfig.
   *
   * @param context the context's name; empty for the kubeconfig's current context
   */
  public ClusterGateway connect(Optional<String> context) {
    return open.computeIfAbsent(context.orElse(""), this::openContext);
  }

  private ClusterGateway openContext(String context) {
    String text;
    try {
      text = Files.readString(kubeconfig);
    } catch (IOException e) {
      throw TagflowException.invalidInput(
          "cannot read the kubeconfig " + kubeconfig + ": " + e.getMessage());
    }
    if (!context.isEmpty()) {
      requireContext(text, context);
    }
    Config config;
    try {
      config = configOf(context, text);
    } catch (RuntimeException e) {
      throw TagflowException.invalidInput(
          "cannot use "
              + (context.isEmpty() ? "the current context" : "context '" + context + "'")
              + " of "
              + kubeconfig
              + ": "
              + e.getMessage());
    }
    config.setRequestTimeout(30_000);
    config.setConnectionTimeout(5_000);
    // fabric8 retries a request that got no answer or a 5xx; its default of 10 retries makes each
    // call to an unreachable server take about 20 s, so a sync of 50 objects would need a quarter
    // of an hour to say UNAVAILABLE. Three retries (0.7 s) ride out a blip; the controller's own
    // retry, with its backoff, waits out a longer outage.
    config.setRequestRetryBackoffLimit(3);
    RequestCounter counter = new RequestCounter();
    KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(config)
            .withHttpClientBuilderConsumer(
                builder -> builder.addOrReplaceInterceptor(RequestCounter.NAME, counter))
            .withKubernetesSerialization(serialization)
            .build();
    String name =
        context.isEmpty()
            ? Optional.ofNullable(config.getCurrentContext())
                .map(c -> c.getName())
                .orElse("default")
            : context;
    return new ClusterGateway(name, client, counter, true);
  }

  /**
   * The client configuration of a context (the current one when empty) of the kubeconfig, read
   * without fabric8's static serialization ({@link KubeconfigConfig}).
   */
  Config configOf(String context, String kubeconfigText) {
    return KubeconfigConfig.of(kubeconfig, context, kubeconfigText, serialization);
  }

  /**
   * fabric8's serialization without its kind-to-class registry. Tagflow reads and writes every
   * object as a {@code GenericKubernetesResource} by an explicit type; the registry, built on the
   * first watch event, loads the 351 resource classes fabric8's model modules register, and each
   * watched object was then parsed as its model class (a {@code Deployment}, loading that class's
   * nested types) only for the watch to convert it back to a generic one. Metaspace a controller
   * keeps for life, and CPU on every event (BENCHMARKS.md, "Memory at rest").
   */
  static KubernetesSerialization untypedSerialization() {
    return new KubernetesSerialization(
        JsonMapper.builderWithJackson2Defaults().addModule(new Jackson2JdkTypesModule()).build(),
        false);
  }

  /**
   * The API server URL a context of the kubeconfig points at, read from the file without
   * connecting: what Argo CD's {@code destination.server} names.
   *
   * @param context the context's name; empty for the current context
   * @return empty when the file, the context or its cluster is not there
   */
  public Optional<String> serverOf(Optional<String> context) {
    try {
      var config = KubeconfigConfig.parse(kubeconfig, Files.readString(kubeconfig), serialization);
      String name = context.orElse(config.getCurrentContext());
      Optional<String> cluster =
          Optional.ofNullable(config.getContexts()).orElse(List.of()).stream()
              .filter(c -> c.getName().equals(name) && c.getContext() != null)
              .map(c -> c.getContext().getCluster())
              .findFirst();
      return cluster.flatMap(
          c ->
              Optional.ofNullable(config.getClusters()).orElse(List.of()).stream()
                  .filter(n -> n.getName().equals(c) && n.getCluster() != null)
                  .map(n -> n.getCluster().getServer())
                  .findFirst());
    } catch (NoSuchFileException e) {
      // No file names no server; connecting to one of its contexts says the file is missing.
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      // A file that cannot be read or parsed is an error, not "no such server".
      throw TagflowException.invalidInput(
          "cannot read the kubeconfig " + kubeconfig + ": " + e.getMessage());
    }
  }

  /**
   * Fails unless the kubeconfig names that context: fabric8 falls back to the current context for
   * an unknown name, and an application meant for another cluster must not land in this one.
   */
  private void requireContext(String kubeconfigText, String context) {
    List<String> names;
    try {
      names =
          Optional.ofNullable(
                  KubeconfigConfig.parse(kubeconfig, kubeconfigText, serialization).getContexts())
              .orElse(List.of())
              .stream()
              .map(NamedContext::getName)
              .toList();
    } catch (RuntimeException e) {
      throw TagflowException.invalidInput(
          "cannot read the kubeconfig " + kubeconfig + ": " + e.getMessage());
    }
    if (!names.contains(context)) {
      throw TagflowException.invalidInput(
          "the kubeconfig "
              + kubeconfig
              + " has no context '"
              + context
              + "' (it has: "
              + (names.isEmpty() ? "none" : String.join(", ", names))
              + "); add it with kubectl config set-context, or name one of these");
    }
  }

  @Override
  public void close() {
    open.values().forEach(ClusterGateway::close);
    open.clear();
  }
}
