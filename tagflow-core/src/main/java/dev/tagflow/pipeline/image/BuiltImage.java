package dev.tagflow.pipeline.image;

import java.util.List;

/**
 * An image built and pushed.
 *
 * @param reference {@code <image>@<digest>}: what a manifest should name to get exactly this image
 * @param digest the manifest's digest ({@code sha256:…}), the same for the same inputs
 * @param tags the tags pushed, pointing at that digest
 * @param layersPushed layers uploaded by this build
 * @param layersReused layers the registry already had, so not uploaded again
 * @param bytesPushed the size of the blobs uploaded (layers and the image's config)
 */
public record BuiltImage(
    String reference,
    String digest,
    List<String> tags,
    int layersPushed,
    int layersReused,
    long bytesPushed) {

  public BuiltImage {
    tags = List.copyOf(tags);
  }
}
