package dev.tagflow.release;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@link Release} of a sync from what it deploys: the images of every Pod template in the
 * rendered manifests, their digests, the Helm chart, and the manifests' hash.
 *
 * <p>Images are read from {@code containers}, {@code initContainers} and {@code
 * ephemeralContainers} of a Pod's {@code spec}, of every {@code spec.template.spec} (Deployment,
 * StatefulSet, DaemonSet, ReplicaSet, Job, ReplicationController, and custom workloads shaped the
 * same, such as Argo Rollouts), of a CronJob's {@code spec.jobTemplate.spec.template.spec}, and of
 * a PodTemplate's {@code template.spec}; each reference once, in the order first found. A reference
 * pinned by digest ({@code registry/web@sha256:…}) carries it; another gets the digest the live
 * Pods reported for it ({@code status.containerStatuses[].imageID}), when the caller knows it.
 *
 * <p>The chart is the one Helm's {@code helm.sh/chart} label ({@code name-version}) names on most
 * objects: the application's own chart rather than a subchart's, which labels fewer.
 *
 * <p>The id is derived from the content (tag, commit, images with digests, chart, manifests hash),
 * so the same inputs always give the same id and a different digest gives another release.
 */
public final class ReleaseReader {

  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Pattern CHART_LABEL =
      Pattern.compile("^(.+?)-(v?\\d+\\.\\d+\\.\\d+(?:[-_+.][0-9A-Za-z.\\-_+]*)?)$");
  private static final String CHART_LABEL_KEY = "helm.sh/chart";

  /**
   * The release of these manifests.
   *
   * @param tag the tag pointing at the commit, if any
   * @param commit the commit they were rendered from
   * @param manifests the rendered objects
   * @param manifestsHash the SHA-256 of the manifests as stored
   * @param liveDigests digests by image reference, as running Pods reported them; may be empty
   * @param now when it is recorded (not part of the id)
   */
  public Release read(
      Optional<String> tag,
      String commit,
      List<GenericKubernetesResource> manifests,
      String manifestsHash,
      Map<String, String> liveDigests,
      Instant now) {
    List<Release.Image> images = new ArrayList<>();
    for (String reference : imageReferences(manifests)) {
      Optional<String> digest =
          pinnedDigest(reference).or(() -> Optional.ofNullable(liveDigests.get(reference)));
      images.add(new Release.Image(reference, digest));
    }
    Optional<Release.Chart> chart = chart(manifests);
    String id = id(tag, commit, images, chart, manifestsHash);
    return new Release(id, tag, commit, images, chart, manifestsHash, now);
  }

  /** Every image reference of the manifests' Pod templates, each once, in the order found. */
  public List<String> imageReferences(List<GenericKubernetesResource> manifests) {
    Map<String, Boolean> found = new LinkedHashMap<>();
    for (GenericKubernetesResource manifest : manifests) {
      for (Map<?, ?> podSpec : podSpecs(manifest)) {
        for (String field : List.of("initContainers", "containers", "ephemeralContainers")) {
          if (podSpec.get(field) instanceof List<?> containers) {
            for (Object container : containers) {
              if (container instanceof Map<?, ?> c
                  && c.get("image") instanceof String image
                  && !image.isBlank()) {
                found.putIfAbsent(image.strip(), true);
              }
            }
          }
        }
      }
    }
    return List.copyOf(found.keySet());
  }

  /**
   * The digest in a container status's {@code imageID} ({@code docker-pullable://web@sha256:…},
   * {@code web@sha256:…}, {@code sha256:…}), if it holds one.
   */
  public static Optional<String> digestOfImageId(String imageId) {
    if (imageId == null) {
      return Optional.empty();
    }
    int at = imageId.lastIndexOf('@');
    String candidate = at >= 0 ? imageId.substring(at + 1) : imageId;
    return DIGEST.matcher(candidate).matches() ? Optional.of(candidate) : Optional.empty();
  }

  /** The digest a reference is pinned to ({@code web:1.2@sha256:…}), if it is a valid one. */
  static Optional<String> pinnedDigest(String reference) {
    int at = reference.lastIndexOf('@');
    if (at < 0) {
      return Optional.empty();
    }
    String digest = reference.substring(at + 1);
    return DIGEST.matcher(digest).matches() ? Optional.of(digest) : Optional.empty();
  }

  private static List<Map<?, ?>> podSpecs(GenericKubernetesResource manifest) {
    Map<String, Object> properties = manifest.getAdditionalProperties();
    List<Map<?, ?>> specs = new ArrayList<>();
    Object spec = properties.get("spec");
    if ("Pod".equals(manifest.getKind()) && spec instanceof Map<?, ?> pod) {
      specs.add(pod);
    }
    at(spec, "template", "spec").ifPresent(specs::add);
    at(spec, "jobTemplate", "spec", "template", "spec").ifPresent(specs::add);
    if ("PodTemplate".equals(manifest.getKind())) {
      at(properties.get("template"), "spec").ifPresent(specs::add);
    }
    return specs;
  }

  private static Optional<Map<?, ?>> at(Object node, String... path) {
    Object current = node;
    for (String key : path) {
      if (!(current instanceof Map<?, ?> map)) {
        return Optional.empty();
      }
      current = map.get(key);
    }
    return current instanceof Map<?, ?> map ? Optional.of(map) : Optional.empty();
  }

  private static Optional<Release.Chart> chart(List<GenericKubernetesResource> manifests) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (GenericKubernetesResource manifest : manifests) {
      if (manifest.getMetadata() != null && manifest.getMetadata().getLabels() != null) {
        String label = manifest.getMetadata().getLabels().get(CHART_LABEL_KEY);
        if (label != null && CHART_LABEL.matcher(label).matches()) {
          counts.merge(label, 1, Integer::sum);
        }
      }
    }
    String most = null;
    for (Map.Entry<String, Integer> count : counts.entrySet()) {
      if (most == null || count.getValue() > counts.get(most)) {
        most = count.getKey();
      }
    }
    if (most == null) {
      return Optional.empty();
    }
    Matcher matcher = CHART_LABEL.matcher(most);
    matcher.matches();
    // Helm writes '+' of a version as '_' in the label, which may not hold a '+'.
    return Optional.of(new Release.Chart(matcher.group(1), matcher.group(2).replace('_', '+')));
  }

  /** {@code v1.2.3-0a1b2c3d4e5f}: the tag (or the commit's start) and a hash of the content. */
  private static String id(
      Optional<String> tag,
      String commit,
      List<Release.Image> images,
      Optional<Release.Chart> chart,
      String manifestsHash) {
    StringBuilder content = new StringBuilder();
    content.append("tag=").append(tag.orElse("")).append('\n');
    content.append("commit=").append(commit).append('\n');
    for (Release.Image image : images) {
      content
          .append("image=")
          .append(image.reference())
          .append('@')
          .append(image.digest().orElse(""))
          .append('\n');
    }
    chart.ifPresent(c -> content.append("chart=").append(c.name()).append(':').append(c.version()));
    content.append("\nmanifests=").append(manifestsHash).append('\n');
    String prefix = tag.orElse(commit.substring(0, Math.min(12, commit.length())));
    return prefix + "-" + sha256(content.toString()).substring(0, 12);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Whether two releases hold the same content, whenever each was recorded. */
  public static boolean sameContent(Release a, Release b) {
    return Objects.equals(a.id(), b.id())
        && a.tag().equals(b.tag())
        && a.commit().equals(b.commit())
        && a.images().equals(b.images())
        && a.chart().equals(b.chart())
        && a.manifestsHash().equals(b.manifestsHash());
  }
}
