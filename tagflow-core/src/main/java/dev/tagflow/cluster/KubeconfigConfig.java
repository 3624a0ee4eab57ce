package dev.tagflow.cluster;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.utils.Utils;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * fabric8's client configuration for a context of a kubeconfig file, read with {@link
 * ClusterConnections#untypedSerialization()}, and read again with the same instance when fabric8
 * refreshes the credentials (at most once a minute when a request or a watch's reconnect comes, and
 * after a 401). fabric8's own readers parse the file with its static serialization, whose first use
 * builds the kind registry after all: 660 classes and 5.4 MB of metaspace, kept for the server's
 * life, for a file of a few names and certificates. A new serialization for each refresh learnt
 * fabric8's kubeconfig model afresh: 7-30 ms of CPU and 0.7-1.2 MB of garbage a parse, against
 * 0.6-1.8 ms and 0.1 MB with one kept (BENCHMARKS.md, "CPU at rest").
 */
final class KubeconfigConfig extends Config {

  private static final Logger log = LoggerFactory.getLogger(KubeconfigConfig.class);

  // The keys under which fabric8's kubeconfig reader (KubeConfigUtils.parseConfig) marks each
  // entry with its file, and by which KubeConfigUtils.merge resolves the entry's relative paths.
  // ClusterConnectionsTest fails if a fabric8 upgrade renames them.
  private static final String CONTEXT_FILE_KEY = "KUBERNETES_CONFIG_CONTEXT_FILE_KEY";
  private static final String CLUSTER_FILE_KEY = "KUBERNETES_CONFIG_CLUSTER_FILE_KEY";
  private static final String USER_FILE_KEY = "KUBERNETES_CONFIG_AUTH_INFO_FILE_KEY";

  private final Path kubeconfig;
  private final KubernetesSerialization serialization;

  private KubeconfigConfig(Path kubeconfig, KubernetesSerialization serialization) {
    super(false);
    this.kubeconfig = kubeconfig;
    this.serialization = serialization;
  }

  /**
   * The configuration of a context, as fabric8's {@code Config.fromKubeconfig} makes it.
   *
   * @param kubeconfig the file, against whose folder relative paths in it resolve (as kubectl
   *     resolves them)
   * @param context the context's name; empty for the file's current context
   * @param text the file's content
   * @param serialization reads the file, now and at each refresh
   */
  static KubeconfigConfig of(
      Path kubeconfig, String context, String text, KubernetesSerialization serialization) {
    return merged(kubeconfig, context, parse(kubeconfig, text, serialization), serialization);
  }

  private static KubeconfigConfig merged(
      Path kubeconfig,
      String context,
      io.fabric8.kubernetes.api.model.Config parsed,
      KubernetesSerialization serialization) {
    KubeconfigConfig config = new KubeconfigConfig(kubeconfig, serialization);
    KubeConfigUtils.merge(config, context.isEmpty() ? null : context, parsed);
    return config;
  }

  /**
   * The kubeconfig's entries, each marked with the file as fabric8's file reader marks them.
   *
   * @throws IllegalArgumentException when the text is not a kubeconfig (the YAML parser's and
   *     Jackson's failures, whose types vary, with their message)
   */
  static io.fabric8.kubernetes.api.model.Config parse(
      Path kubeconfig, String text, KubernetesSerialization serialization) {
    io.fabric8.kubernetes.api.model.Config parsed;
    try {
      parsed = serialization.unmarshal(text, io.fabric8.kubernetes.api.model.Config.class);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    if (parsed == null) {
      throw new IllegalArgumentException("the file is empty");
    }
    File file = kubeconfig.toAbsolutePath().toFile();
    orEmpty(parsed.getContexts())
        .forEach(c -> c.getAdditionalProperties().put(CONTEXT_FILE_KEY, file));
    orEmpty(parsed.getClusters())
        .forEach(c -> c.getAdditionalProperties().put(CLUSTER_FILE_KEY, file));
    orEmpty(parsed.getUsers()).forEach(u -> u.getAdditionalProperties().put(USER_FILE_KEY, file));
    return parsed;
  }

  /**
   * The file read again for the same context, as fabric8's {@code Config.refresh} reads it (a token
   * set through the API, not read from the file, stays). A file that cannot be read or parsed now
   * keeps the credentials there are; the next refresh tries again.
   */
  @Override
  public Config refresh() {
    if (Utils.isNotNullOrEmpty(getOauthToken())) {
      return this;
    }
    String context = Optional.ofNullable(getCurrentContext()).map(NamedContext::getName).orElse("");
    io.fabric8.kubernetes.api.model.Config parsed;
    try {
      parsed = parse(kubeconfig, Files.readString(kubeconfig), serialization);
    } catch (IOException | IllegalArgumentException e) {
      // A file being rewritten, or gone for a moment: fabric8 keeps the credentials it has too.
      log.warn(
          "cannot read the kubeconfig {} again to refresh the credentials of context '{}': {}",
          kubeconfig,
          context,
          e.getMessage());
      return this;
    }
    // What merging fails at (an exec plugin that fails) fails the refresh, as in fabric8.
    return merged(kubeconfig, context, parsed, serialization);
  }

  /** What reads the file, kept from the first reading through every refresh. */
  KubernetesSerialization serialization() {
    return serialization;
  }

  private static <T> List<T> orEmpty(List<T> entries) {
    return entries == null ? List.of() : entries;
  }
}
