package dev.tagflow.release;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What exactly was released: a tag, the commit it named, the images and chart the rendered
 * manifests use, and the hash of those manifests. Immutable once recorded; history links to it.
 *
 * @param id a name chosen by whoever records it, unique for this content (for example {@code
 *     web-production@v1.2.3}); recording another release under the same id is refused
 * @param tag the Git tag, when the revision came from one
 * @param commit the full commit id the manifests were rendered from
 * @param images every image reference found in the rendered manifests, in the order found
 * @param chart the Helm chart, when the application renders one
 * @param manifestsHash the SHA-256 (lowercase hex) of the rendered manifests as stored
 * @param createdAt when the release was recorded (the store keeps milliseconds)
 */
public record Release(
    String id,
    Optional<String> tag,
    String commit,
    List<Image> images,
    Optional<Chart> chart,
    String manifestsHash,
    Instant createdAt) {

  public Release {
    requireText(id, "id");
    Objects.requireNonNull(tag, "tag");
    requireText(commit, "commit");
    images = List.copyOf(images);
    Objects.requireNonNull(chart, "chart");
    requireText(manifestsHash, "manifestsHash");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /**
   * An image the manifests run.
   *
   * @param reference as written in the manifests ({@code registry/web:1.2.3} or {@code
   *     registry/web@sha256:…})
   * @param digest the content digest ({@code sha256:…}), when known
   */
  public record Image(String reference, Optional<String> digest) {
    public Image {
      requireText(reference, "reference");
      Objects.requireNonNull(digest, "digest");
    }
  }

  /** The Helm chart an application renders, by name and version as its Chart.yaml says. */
  public record Chart(String name, String version) {
    public Chart {
      requireText(name, "name");
      requireText(version, "version");
    }
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("a release's " + name + " must not be empty");
    }
  }
}
