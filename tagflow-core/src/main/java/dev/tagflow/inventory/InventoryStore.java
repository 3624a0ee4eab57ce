package dev.tagflow.inventory;

import dev.tagflow.cluster.ApplyCall;
import dev.tagflow.cluster.ClusterException;
import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.cluster.LiveLookup;
import dev.tagflow.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps each application's {@link Inventory} in its destination cluster, as a ConfigMap {@code
 * inventory-<application>} (shortened with a hash past 253 characters) in Tagflow's namespace
 * ({@code tagflow-system} unless told otherwise, created when missing), so a restarted or second
 * Tagflow knows what to prune.
 *
 * <p>The ConfigMap's key {@code objects} holds one line per object: {@code
 * apiVersion<TAB>kind<TAB>namespace<TAB>name}, in a stable order so an unchanged inventory is not
 * written again.
 */
public final class InventoryStore {

  /** Tagflow's own namespace, unless configured otherwise. */
  public static final String DEFAULT_NAMESPACE = "tagflow-system";

  private static final String KEY = "objects";

  private final ClusterGateway cluster;
  private final String namespace;

  public InventoryStore(ClusterGateway cluster, String namespace) {
    this.cluster = cluster;
    this.namespace = namespace;
  }

  /**
   * The application's inventory; empty when it has none yet.
   *
   * @throws ClusterException when it cannot be read (never an empty inventory then: that would make
   *     every owned object look new, and none stale)
   */
  public Inventory load(String application) {
    return load(application, cluster);
  }

  /**
   * The application's inventory as {@code source} has it: a watch-fed cache answers without a
   * request, and may lag a write this process made a moment ago, so a cache's answer is for showing
   * what an application owns, never for deciding a prune (a sync reads it from the cluster).
   *
   * @throws ClusterException when it cannot be read
   */
  public Inventory load(String application, LiveLookup source) {
    Optional<GenericKubernetesResource> configMap = source.live(ref(application));
    if (configMap.isEmpty()) {
      return Inventory.empty(application);
    }
    Object data = configMap.get().getAdditionalProperties().get("data");
    String text =
        data instanceof Map<?, ?> map && map.get(KEY) != null ? (String) map.get(KEY) : "";
    List<ObjectRef> objects = new ArrayList<>();
    for (String line : text.split("\n")) {
      String[] parts = line.split("\t", -1);
      if (parts.length == 4) {
        objects.add(new ObjectRef(parts[0], parts[1], parts[2], parts[3]));
      }
    }
    return Inventory.of(application, objects);
  }

  /**
   * Stores the inventory (creating Tagflow's namespace when it is missing).
   *
   * @throws ClusterException when it cannot be stored
   */
  public void save(Inventory inventory) {
    ensureNamespace();
    StringBuilder text = new StringBuilder();
    for (ObjectRef object : inventory.objects()) {
      text.append(object.apiVersion())
          .append('\t')
          .append(object.kind())
          .append('\t')
          .append(object.namespace())
          .append('\t')
          .append(object.name())
          .append('\n');
    }
    GenericKubernetesResource configMap = new GenericKubernetesResource();
    configMap.setApiVersion("v1");
    configMap.setKind("ConfigMap");
    configMap.setMetadata(
        new ObjectMetaBuilder()
            .withName(name(inventory.application()))
            .withNamespace(namespace)
            .withLabels(
                Map.of(
                    "app.kubernetes.io/managed-by",
                    "tagflow",
                    "tagflow.dev/inventory-of",
                    labelValue(inventory.application())))
            .build());
    configMap.setAdditionalProperty("data", Map.of(KEY, text.toString()));
    try {
      cluster.apply(configMap, ApplyCall.forced("tagflow"));
    } catch (ClusterException e) {
      throw e.about(
          "could not store the inventory of application '"
              + inventory.application()
              + "' in ConfigMap "
              + namespace
              + "/"
              + name(inventory.application()));
    }
  }

  /**
   * Removes the application's inventory (an application that was removed and its objects pruned).
   *
   * @return whether there was one
   * @throws ClusterException when it cannot be removed
   */
  public boolean delete(String application) {
    return cluster.delete(ref(application));
  }

  private void ensureNamespace() {
    ObjectRef ref = new ObjectRef("v1", "Namespace", "", namespace);
    if (cluster.get(ref).isPresent()) {
      return;
    }
    GenericKubernetesResource ns = new GenericKubernetesResource();
    ns.setApiVersion("v1");
    ns.setKind("Namespace");
    ns.setMetadata(
        new ObjectMetaBuilder()
            .withName(namespace)
            .withLabels(Map.of("app.kubernetes.io/managed-by", "tagflow"))
            .build());
    cluster.apply(ns, ApplyCall.forced("tagflow"));
  }

  private ObjectRef ref(String application) {
    return new ObjectRef("v1", "ConfigMap", namespace, name(application));
  }

  /**
   * {@code inventory-<application>}; an application name too long for that (more than 243 of its
   * 253 characters) is cut and ends with a hash of the whole, so two long names never share a
   * ConfigMap.
   */
  static String name(String application) {
    return fitted("inventory-" + application, 253, application);
  }

  /**
   * The application's name as a label value: label values hold at most 63 characters (letters,
   * digits, {@code -}, {@code _}, {@code .}), so a longer name is cut and ends with a hash of the
   * whole. The label is for people selecting ConfigMaps; Tagflow finds an inventory by its name.
   */
  static String labelValue(String application) {
    return fitted(application, 63, application);
  }

  private static String fitted(String text, int max, String whole) {
    if (text.length() <= max) {
      return text;
    }
    String hash = sha256(whole).substring(0, 10);
    String kept = text.substring(0, max - hash.length() - 1);
    // A cut may end on '.' or '-', which may not end a name or a label value.
    while (!kept.isEmpty() && !Character.isLetterOrDigit(kept.charAt(kept.length() - 1))) {
      kept = kept.substring(0, kept.length() - 1);
    }
    return kept + "-" + hash;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
