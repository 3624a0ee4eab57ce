/**
 * Container images for release workflows ({@code tagflow/image}): {@link
 * dev.tagflow.pipeline.image.ImageBuilder} builds an OCI image from a jar or a directory on a base
 * image or {@code scratch} with Jib core (no Docker daemon) and pushes it under its tags.
 *
 * <h2>Using it</h2>
 *
 * <pre>{@code
 * ImageSpec spec = ImageSpec.of("scratch", new ImageContent.Jar(jar), List.of(),
 *         "127.0.0.1:5000/shop/web", List.of("1.2.3", commit))
 *     .withCredential("ghcr.io", new RegistryCredential(user, password));
 * BuiltImage built = new ImageBuilder(cacheDir).build(spec);
 * built.digest();        // sha256:…, the same for the same inputs
 * built.layersPushed();  // 0 when the registry had every layer
 * }</pre>
 *
 * <h2>Rules</h2>
 *
 * <ul>
 *   <li>The spec is checked before anything is built or any registry contacted: a missing jar or
 *       directory, an invalid tag, an image carrying a tag, a directory without entrypoint are
 *       {@code INVALID_SPEC} with the path or value named.
 *   <li>{@link dev.tagflow.pipeline.image.RegistryAccess}: plain HTTP and unverified HTTPS only to
 *       loopback (by literal address) or a registry in {@code insecureRegistries}. Every other
 *       registry of the build is first checked to answer over verified HTTPS, because Jib allows
 *       insecure connections per build, not per registry.
 *   <li>Reproducible: Jib's fixed timestamps and entry order; OCI format.
 *   <li>Layers the target registry has are not pushed again; {@link
 *       dev.tagflow.pipeline.image.PushCount} counts them from Jib's events.
 *   <li>Failures are {@link dev.tagflow.pipeline.image.ImageBuildException} with a {@code Failure};
 *       credentials never appear in a message or a log line (Jib's lines are scrubbed).
 *   <li>Jib runs on a thread pool of the build's own, stopped before {@code build} returns.
 * </ul>
 *
 * <p>The user's manual is {@code docs/images.md}.
 */
package dev.tagflow.pipeline.image;
