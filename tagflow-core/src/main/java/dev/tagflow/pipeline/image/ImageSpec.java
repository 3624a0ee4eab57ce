package dev.tagflow.pipeline.image;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What to build and where to push it: the {@code with:} of a {@code tagflow/image} step.
 *
 * @param from the base image reference ({@code ghcr.io/org/jre:21}, {@code 127.0.0.1:5000/base:1})
 *     or {@code scratch} for an empty base
 * @param content the jar or directory that makes the application layer
 * @param entrypoint the command the container runs; empty means {@code java -jar /app/<jar>} for a
 *     jar, and is an error for a directory
 * @param image the target repository without tag ({@code 127.0.0.1:5000/shop/web})
 * @param tags the tags to push, first the version then usually the commit; at least one
 * @param credentials per registry ({@code ghcr.io}, {@code 127.0.0.1:5000}, {@code docker.io}), for
 *     the base image's and the target's registry; a registry not named is accessed anonymously
 * @param insecureRegistries registries ({@code host} or {@code host:port}) that may be reached over
 *     plain HTTP or HTTPS with an unverified certificate; loopback registries always may
 */
public record ImageSpec(
    String from,
    ImageContent content,
    List<String> entrypoint,
    String image,
    List<String> tags,
    Map<String, RegistryCredential> credentials,
    Set<String> insecureRegistries) {

  /** The base reference that means "no base image". */
  public static final String SCRATCH = "scratch";

  public ImageSpec {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(content, "content");
    entrypoint = List.copyOf(entrypoint);
    Objects.requireNonNull(image, "image");
    tags = List.copyOf(tags);
    credentials = Map.copyOf(credentials);
    insecureRegistries = Set.copyOf(insecureRegistries);
  }

  /** A spec with no credentials and no insecure registries. */
  public static ImageSpec of(
      String from, ImageContent content, List<String> entrypoint, String image, List<String> tags) {
    return new ImageSpec(from, content, entrypoint, image, tags, Map.of(), Set.of());
  }

  public ImageSpec withCredential(String registry, RegistryCredential credential) {
    Map<String, RegistryCredential> more = new HashMap<>(credentials);
    more.put(registry, credential);
    return new ImageSpec(from, content, entrypoint, image, tags, more, insecureRegistries);
  }

  public ImageSpec withInsecureRegistries(Set<String> registries) {
    return new ImageSpec(from, content, entrypoint, image, tags, credentials, registries);
  }

  public ImageSpec withTags(List<String> newTags) {
    return new ImageSpec(
        from, content, entrypoint, image, newTags, credentials, insecureRegistries);
  }

  /** Whether the image starts from nothing. */
  public boolean fromScratch() {
    return SCRATCH.equals(from);
  }
}
