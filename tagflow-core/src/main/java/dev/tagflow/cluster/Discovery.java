package dev.tagflow.cluster;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupList;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the API server serves, asked once per group version and cached: each kind's plural, whether
 * it is namespaced, and each group's preferred version.
 *
 * <p>A kind missing from the cache makes its group version be asked again once (a CRD may just have
 * appeared); {@link #invalidate} drops a group version when a CRD is applied or changes. So "not
 * served" is always the server's fresh answer, never a stale cache or a failed request: a group
 * version that cannot be asked fails with {@link ClusterFailure#UNAVAILABLE} (an aggregated API
 * whose server is down answers 503), and only a 404 or a list without the kind means the kind is
 * not served.
 */
public final class Discovery {

  private static final Logger log = LoggerFactory.getLogger(Discovery.class);

  private final KubernetesClient client;
  private final Map<String, Map<String, ApiResource>> byGroupVersion = new ConcurrentHashMap<>();
  private volatile Map<String, String> preferredVersions;

  Discovery(KubernetesClient client) {
    this.client = client;
  }

  /**
   * The kind in that API version, asking the server when it is not known yet.
   *
   * @return empty when the server confirms it does not serve the kind
   * @throws ClusterException when the server cannot be asked
   */
  public Optional<ApiResource> find(String apiVersion, String kind) {
    ApiResource cached = kindsOf(apiVersion).get(kind);
    if (cached != null) {
      return Optional.of(cached);
    }
    byGroupVersion.remove(apiVersion);
    return Optional.ofNullable(kindsOf(apiVersion).get(kind));
  }

  /**
   * The kind in that API version.
   *
   * @throws ClusterException {@link ClusterFailure#GONE_KIND} when the server confirms it does not
   *     serve it, naming the likely cause; another failure when the server cannot be asked
   */
  public ApiResource require(String apiVersion, String kind) {
    return find(apiVersion, kind)
        .orElseThrow(
            () ->
                new ClusterException(
                    ClusterFailure.GONE_KIND,
                    "the cluster does not serve kind " + kind + " in " + apiVersion,
                    "check the apiVersion, or apply the CustomResourceDefinition that defines it"
                        + " first",
                    null));
  }

  /** The kind of that object's API version and kind. */
  public ApiResource require(ObjectRef ref) {
    return require(ref.apiVersion(), ref.kind());
  }

  /** The version the server prefers for a group ({@code v1} for the core group). */
  public Optional<String> preferredVersion(String group) {
    if (group.isEmpty()) {
      return Optional.of("v1");
    }
    Map<String, String> preferred = preferredVersions;
    if (preferred == null || !preferred.containsKey(group)) {
      preferred = loadPreferredVersions();
      preferredVersions = preferred;
    }
    return Optional.ofNullable(preferred.get(group));
  }

  /**
   * Every kind of every group version the server serves, asking for those not cached yet. A group
   * version that cannot be asked (an aggregated API whose server is down) is left out, so one
   * broken extension does not hide the rest.
   */
  public List<ApiResource> all() {
    List<String> groupVersions = new ArrayList<>(List.of("v1"));
    APIGroupList groups;
    try {
      groups = client.getApiGroups();
    } catch (KubernetesClientException e) {
      throw ClusterException.of("could not discover the API groups", e);
    }
    if (groups != null && groups.getGroups() != null) {
      for (APIGroup group : groups.getGroups()) {
        group.getVersions().forEach(v -> groupVersions.add(v.getGroupVersion()));
      }
    }
    List<ApiResource> kinds = new ArrayList<>();
    for (String groupVersion : groupVersions) {
      try {
        kinds.addAll(kindsOf(groupVersion).values());
      } catch (ClusterException e) {
        log.warn("discovery: {} left out: {}", groupVersion, e.getMessage());
      }
    }
    return kinds;
  }

  /** Forgets what is known of a group's kinds, so the next look-up asks the server. */
  public void invalidate(String group) {
    byGroupVersion.keySet().removeIf(gv -> gv.startsWith(group + "/"));
    preferredVersions = null;
  }

  private Map<String, ApiResource> kindsOf(String apiVersion) {
    return byGroupVersion.computeIfAbsent(apiVersion, this::load);
  }

  private Map<String, ApiResource> load(String apiVersion) {
    APIResourceList list;
    try {
      list = client.getApiResources(apiVersion);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return Map.of();
      }
      throw ClusterException.of("could not discover the kinds of " + apiVersion, e);
    }
    if (list == null || list.getResources() == null) {
      return Map.of();
    }
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
    Map<String, ApiResource> kinds = new HashMap<>();
    for (APIResource resource : list.getResources()) {
      if (resource.getName().contains("/")) {
        continue; // a subresource such as deployments/status
      }
      kinds.putIfAbsent(
          resource.getKind(),
          new ApiResource(
              group,
              version,
              resource.getKind(),
              resource.getName(),
              Boolean.TRUE.equals(resource.getNamespaced())));
    }
    log.debug("discovery: {} serves {} kinds", apiVersion, kinds.size());
    return kinds;
  }

  private Map<String, String> loadPreferredVersions() {
    APIGroupList groups;
    try {
      groups = client.getApiGroups();
    } catch (KubernetesClientException e) {
      throw ClusterException.of("could not discover the API groups", e);
    }
    Map<String, String> preferred = new HashMap<>();
    if (groups != null && groups.getGroups() != null) {
      for (APIGroup group : groups.getGroups()) {
        if (group.getPreferredVersion() != null) {
          preferred.put(group.getName(), group.getPreferredVersion().getVersion());
        }
      }
    }
    return preferred;
  }
}
