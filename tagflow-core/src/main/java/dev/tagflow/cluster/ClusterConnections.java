package dev.tagflow.cluster;

import dev.tagflow.TagflowException;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.model.jackson.Jackson2JdkTypesModule;
import java.io.File;
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

  // The keys under which fabric8's kubeconfig reader (KubeConfigUtils.parseConfig) marks each
  // entry with its file, and by which KubeConfigUtils.merge resolves the entry's relative paths.
  // ClusterConnectionsTest fails if a fabric8 upgrade renames them.
  private static final String CONTEXT_FILE_KEY = "KUBERNETES_CONFIG_CONTEXT_FILE_KEY";
  private static final String CLUSTER_FILE_KEY = "KUBERNETES_CONFIG_CLUSTER_FILE_KEY";
  private static final String USER_FILE_KEY = "KUBERNETES_CONFIG_AUTH_INFO_FILE_KEY";

  private final Path kubeconfig;
  private final Map<String, ClusterGateway> open = new ConcurrentHashMap<>();

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
          "cannot use context '" + context + "' of " + kubeconfig + ": " + e.getMessage());
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
            .withKubernetesSerialization(untypedSerialization())
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
   * The client configuration of a context (the current one when empty), as fabric8's {@code
   * Config.fromKubeconfig} makes it, from a kubeconfig parsed by {@link #parseKubeconfig}.
   */
  Config configOf(String context, String kubeconfigText) {
    Config config = Config.empty();
    KubeConfigUtils.merge(
        config, context.isEmpty() ? null : context, parseKubeconfig(kubeconfigText));
    return config;
  }

  /**
   * Parses the kubeconfig with {@link #untypedSerialization()}. fabric8's own readers parse it with
   * its static serialization, whose first use builds the kind registry after all: 660 classes and
   * 5.4 MB of metaspace, kept for the server's life, for a file of a few names and certificates.
   * Each context, cluster and user is marked with the file, as fabric8's file reader marks them, so
   * that a relative path in it (a certificate, a token file) resolves against the kubeconfig's
   * folder, as kubectl resolves it.
   */
  private io.fabric8.kubernetes.api.model.Config parseKubeconfig(String text) {
    var parsed =
        untypedSerialization().unmarshal(text, io.fabric8.kubernetes.api.model.Config.class);
    if (parsed == null) {
      throw new IllegalArgumentException("the file is empty");
    }
    File file = kubeconfig.toAbsolutePath().toFile();
    Optional.ofNullable(parsed.getContexts())
        .orElse(List.of())
        .forEach(c -> c.getAdditionalProperties().put(CONTEXT_FILE_KEY, file));
    Optional.ofNullable(parsed.getClusters())
        .orElse(List.of())
        .forEach(c -> c.getAdditionalProperties().put(CLUSTER_FILE_KEY, file));
    Optional.ofNullable(parsed.getUsers())
        .orElse(List.of())
        .forEach(u -> u.getAdditionalProperties().put(USER_FILE_KEY, file));
    return parsed;
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
      var config = parseKubeconfig(Files.readString(kubeconfig));
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
          Optional.ofNullable(parseKubeconfig(kubeconfigText).getContexts())
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
