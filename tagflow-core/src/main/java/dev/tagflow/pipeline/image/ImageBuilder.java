package dev.tagflow.pipeline.image;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InsecureRegistryException;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.JibEvent;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryAuthenticationFailedException;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.registry.RegistryCredentialsNotSentException;
import dev.tagflow.TagflowVersion;
import dev.tagflow.pipeline.image.ImageBuildException.Failure;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds an OCI image from a jar or a directory on a base image (or {@code scratch}) with Jib, and
 * pushes it with its tags: no Docker daemon, no Dockerfile.
 *
 * <p>The same inputs give the same digest: Jib fixes every timestamp (image creation at the epoch,
 * files at the epoch plus one second) and orders layer entries by path. A layer the target registry
 * already has is not uploaded again; {@link BuiltImage} says how many were and how many bytes went
 * over the wire.
 */
public final class ImageBuilder {

  private static final Logger log = LoggerFactory.getLogger(ImageBuilder.class);

  private final Path cacheDirectory;

  /**
   * @param cacheDirectory where Jib keeps base-image layers and built application layers between
   *     builds ({@code base/} and {@code application/} below it)
   */
  public ImageBuilder(Path cacheDirectory) {
    this.cacheDirectory = cacheDirectory;
  }

  /**
   * Builds the image and pushes it under every tag of the spec.
   *
   * @throws ImageBuildException with the {@link ImageBuildException.Failure} and a message naming
   *     the registry and what to do; never a credential
   */
  public BuiltImage build(ImageSpec spec) {
    return build(spec, message -> {});
  }

  /**
   * Builds and pushes, handing Jib's messages (all but debug and progress, passwords scrubbed) to
   * {@code messages} as they come: a run's log shows what its image step does.
   *
   * @throws ImageBuildException as {@link #build(ImageSpec)}
   */
  public BuiltImage build(ImageSpec spec, Consumer<String> messages) {
    ImageReference target = targetReference(spec);
    Optional<ImageReference> base = baseReference(spec);
    List<String> entrypoint = entrypoint(spec);
    FileEntriesLayer layer = applicationLayer(spec.content());
    Scrubber scrubber = new Scrubber(spec);

    List<String> registries = new ArrayList<>();
    base.ifPresent(b -> registries.add(b.getRegistry()));
    registries.add(target.getRegistry());
    boolean allowInsecure = new RegistryAccess(spec.insecureRegistries()).allowInsecure(registries);

    JibContainerBuilder builder =
        base.map(b -> Jib.from(withCredential(RegistryImage.named(b), b, spec)))
            .orElseGet(Jib::fromScratch)
            .setFormat(ImageFormat.OCI)
            .setEntrypoint(entrypoint)
            .addFileEntriesLayer(layer);
    PushCount count = new PushCount();
    // Our own pool, so that no Jib thread still writes to the cache once build() has returned,
    // whether it succeeded or failed (Jib only shuts its own pool down without waiting).
    ExecutorService executor = Executors.newCachedThreadPool();
    Containerizer containerizer =
        Containerizer.to(withCredential(RegistryImage.named(target), target, spec))
            .setAllowInsecureRegistries(allowInsecure)
            .setBaseImageLayersCache(cacheDirectory.resolve("base"))
            .setApplicationLayersCache(cacheDirectory.resolve("application"))
            .setExecutorService(executor)
            .setToolName("tagflow")
            .setToolVersion(TagflowVersion.current().version())
            .addEventHandler(JibEvent.class, count)
            .addEventHandler(LogEvent.class, event -> logJib(event, scrubber, messages));
    for (String tag : spec.tags().subList(1, spec.tags().size())) {
      containerizer.withAdditionalTag(tag);
    }

    JibContainer container;
    try {
      container = builder.containerize(containerizer);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageBuildException(
          Failure.REGISTRY_ERROR, "interrupted while building " + target.toString());
    } catch (ExecutionException e) {
      throw translate(e.getCause() == null ? e : e.getCause(), spec, base, target, scrubber);
    } catch (RegistryException | IOException | CacheDirectoryCreationException e) {
      throw translate(e, spec, base, target, scrubber);
    } finally {
      stop(executor);
    }

    String digest = container.getDigest().toString();
    PushCount.Totals totals = count.totals(container.getImageId().toString());
    String repository = target.getRegistry() + "/" + target.getRepository();
    BuiltImage built =
        new BuiltImage(
            repository + "@" + digest,
            digest,
            spec.tags(),
            totals.layersPushed(),
            totals.layersReused(),
            totals.bytesPushed());
    log.info(
        "image {} pushed as {} with tags {}: {} layers uploaded ({} bytes), {} already there",
        repository,
        digest,
        spec.tags(),
        built.layersPushed(),
        built.bytesPushed(),
        built.layersReused());
    return built;
  }

  private static void stop(ExecutorService executor) {
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        log.warn("Jib's threads did not stop within 30 s of the build's end");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // --- the spec, checked before anything is built ---

  private static ImageReference targetReference(ImageSpec spec) {
    String image = spec.image().strip();
    if (image.isEmpty()) {
      throw invalid("image is empty; name the repository to push to, such as 127.0.0.1:5000/web");
    }
    int lastSlash = image.lastIndexOf('/');
    if (image.contains("@") || image.substring(lastSlash + 1).contains(":")) {
      throw invalid(
          "image "
              + image
              + " carries a tag or digest; give the repository alone (such as"
              + " ghcr.io/org/web) and the tags in tags:");
    }
    if (spec.tags().isEmpty()) {
      throw invalid("no tags for image " + image + "; give at least the version, such as 1.2.3");
    }
    for (String tag : spec.tags()) {
      if (!ImageReference.isValidTag(tag)) {
        throw invalid(
            "tag '"
                + tag
                + "' for image "
                + image
                + " is not a valid image tag: up to 128 letters, digits, '_', '.' and '-', not"
                + " starting with '.' or '-'");
      }
    }
    try {
      return ImageReference.parse(image + ":" + spec.tags().getFirst());
    } catch (InvalidImageReferenceException e) {
      throw invalid(
          "image "
              + image
              + " is not a valid repository name: lowercase letters, digits, '.', '_', '-' and"
              + " '/', after an optional registry host[:port]");
    }
  }

  private static Optional<ImageReference> baseReference(ImageSpec spec) {
    if (spec.fromScratch()) {
      return Optional.empty();
    }
    try {
      return Optional.of(ImageReference.parse(spec.from().strip()));
    } catch (InvalidImageReferenceException e) {
      throw invalid(
          "from: "
              + spec.from()
              + " is not an image reference; give one such as eclipse-temurin:21-jre or"
              + " ghcr.io/org/base@sha256:…, or scratch for an empty base");
    }
  }

  private static List<String> entrypoint(ImageSpec spec) {
    if (!spec.entrypoint().isEmpty()) {
      return spec.entrypoint();
    }
    return switch (spec.content()) {
      case ImageContent.Jar jar -> List.of("java", "-jar", jar.pathInImage());
      case ImageContent.Directory dir ->
          throw invalid(
              "no entrypoint for image "
                  + spec.image()
                  + ": with a directory, say what the container runs (entrypoint: [...])");
    };
  }

  private static FileEntriesLayer applicationLayer(ImageContent content) {
    FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("application");
    AbsoluteUnixPath app = AbsoluteUnixPath.get(ImageContent.APP_DIRECTORY);
    switch (content) {
      case ImageContent.Jar jar -> {
        if (!Files.isRegularFile(jar.file())) {
          throw invalid(
              "the jar "
                  + jar.file().toAbsolutePath()
                  + (Files.exists(jar.file()) ? " is not a regular file" : " does not exist")
                  + "; build it in an earlier step, or fix jar: to the file the build writes");
        }
        if (!Files.isReadable(jar.file())) {
          throw invalid("the jar " + jar.file().toAbsolutePath() + " cannot be read");
        }
        layer.addEntry(jar.file(), AbsoluteUnixPath.get(jar.pathInImage()));
      }
      case ImageContent.Directory dir -> {
        if (!Files.isDirectory(dir.root())) {
          throw invalid(
              "the directory "
                  + dir.root().toAbsolutePath()
                  + " does not exist; build it in an earlier step, or fix directory:");
        }
        try {
          layer.addEntryRecursive(dir.root(), app);
        } catch (IOException e) {
          throw invalid("could not read the directory " + dir.root() + ": " + e.getMessage());
        }
      }
    }
    return layer.build();
  }

  private static RegistryImage withCredential(
      RegistryImage image, ImageReference reference, ImageSpec spec) {
    credentialFor(reference.getRegistry(), spec)
        .ifPresent(c -> image.addCredential(c.username(), c.password()));
    return image;
  }

  /** The credential given for a registry, matching Docker Hub's aliases. */
  static Optional<RegistryCredential> credentialFor(String registry, ImageSpec spec) {
    String wanted = canonicalRegistry(registry);
    return spec.credentials().entrySet().stream()
        .filter(e -> canonicalRegistry(e.getKey()).equals(wanted))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  private static String canonicalRegistry(String registry) {
    String lower = registry.strip().toLowerCase(Locale.ROOT);
    return switch (lower) {
      case "docker.io", "index.docker.io", "registry.hub.docker.com" -> "registry-1.docker.io";
      default -> lower;
    };
  }

  // --- Jib's failures, in our words ---

  private static ImageBuildException translate(
      Throwable e,
      ImageSpec spec,
      Optional<ImageReference> base,
      ImageReference target,
      Scrubber scrubber) {
    String targetName = target.getRegistry() + "/" + target.getRepository();
    return switch (e) {
      case RegistryUnauthorizedException u -> authRefused(u.getImageReference(), spec);
      case RegistryAuthenticationFailedException a ->
          authRefused(a.getServerUrl() + "/" + a.getImageName(), spec);
      case RegistryCredentialsNotSentException n ->
          new ImageBuildException(
              Failure.AUTH_REFUSED,
              "the registry of "
                  + targetName
                  + " asks for credentials over plain HTTP, and they are never sent unencrypted;"
                  + " serve the registry over HTTPS");
      case InsecureRegistryException i ->
          new ImageBuildException(
              Failure.INSECURE_REFUSED,
              RegistryAccess.insecureMessage(registryNamed(i.getMessage(), base, target)));
      case UnknownHostException u -> unreachable(u, base, target);
      case ConnectException c -> unreachable(c, base, target);
      case SocketTimeoutException t -> unreachable(t, base, target);
      case RegistryException r when base.isPresent() && isMissingBase(r) ->
          new ImageBuildException(
              Failure.BASE_IMAGE_NOT_FOUND,
              "the base image "
                  + base.get()
                  + " was not found in its registry ("
                  + scrubber.scrub(r.getMessage())
                  + "); check from: (name and tag), or push the base image first");
      case RegistryException r ->
          new ImageBuildException(
              Failure.REGISTRY_ERROR,
              "the registry failed building " + targetName + ": " + scrubber.scrub(r.getMessage()));
      default ->
          new ImageBuildException(
              Failure.REGISTRY_ERROR,
              "could not build "
                  + targetName
                  + ": "
                  + scrubber.scrub(String.valueOf(e.getMessage())));
    };
  }

  private static ImageBuildException unreachable(
      IOException e, Optional<ImageReference> base, ImageReference target) {
    return new ImageBuildException(
        Failure.REGISTRY_UNREACHABLE,
        RegistryAccess.unreachableMessage(registryNamed(e.getMessage(), base, target), e));
  }

  private static ImageBuildException authRefused(String where, ImageSpec spec) {
    String registry = where.contains("/") ? where.substring(0, where.indexOf('/')) : where;
    registry = registry.replaceFirst("^https?://", "");
    boolean given = credentialFor(registry, spec).isPresent();
    return new ImageBuildException(
        Failure.AUTH_REFUSED,
        "the registry "
            + registry
            + " refused access to "
            + where.replaceFirst("^https?://", "")
            + (given
                ? " with the credentials given for it; check the user name and password in"
                    + " Tagflow's secrets"
                : " without credentials; give credentials for "
                    + registry
                    + " from Tagflow's"
                    + " secrets"));
  }

  private static boolean isMissingBase(RegistryException e) {
    String message = String.valueOf(e.getMessage());
    return message.startsWith("Tried to pull image manifest")
        && (message.contains("manifest unknown")
            || message.contains("name unknown")
            || message.contains("repository name not known"));
  }

  /** Which of the build's registries a Jib message is about; the target when none is named. */
  private static String registryNamed(
      String message, Optional<ImageReference> base, ImageReference target) {
    String text = String.valueOf(message);
    if (base.isPresent() && text.contains(base.get().getRegistry())) {
      return base.get().getRegistry();
    }
    if (base.isPresent() && !text.contains(target.getRegistry())) {
      String host = RegistryAccess.hostOf(base.get().getRegistry());
      if (text.contains(host)) {
        return base.get().getRegistry();
      }
    }
    return target.getRegistry();
  }

  private static void logJib(LogEvent event, Scrubber scrubber, Consumer<String> messages) {
    String message = scrubber.scrub(event.getMessage());
    boolean warning =
        event.getLevel() == LogEvent.Level.ERROR || event.getLevel() == LogEvent.Level.WARN;
    boolean fallback = isInsecureFallback(message);
    if (!fallback
        && !message.isBlank()
        && event.getLevel() != LogEvent.Level.DEBUG
        && event.getLevel() != LogEvent.Level.PROGRESS) {
      messages.accept("jib: " + message);
    }
    // Jib warns each time it falls back to HTTP; RegistryAccess allowed that registry already.
    if (warning && !fallback) {
      log.warn("jib: {}", message);
    } else {
      log.debug("jib: {}", message);
    }
  }

  private static boolean isInsecureFallback(String message) {
    return message.startsWith("Cannot verify server at ")
        || (message.startsWith("Failed to connect to ")
            && message.endsWith("over HTTPS. Attempting again with HTTP."));
  }

  private static ImageBuildException invalid(String message) {
    return new ImageBuildException(Failure.INVALID_SPEC, message);
  }

  /** Removes the spec's passwords from any text that leaves the builder. */
  private record Scrubber(List<String> passwords) {
    Scrubber(ImageSpec spec) {
      this(
          spec.credentials().values().stream()
              .map(RegistryCredential::password)
              .filter(p -> !p.isEmpty())
              .toList());
    }

    String scrub(String text) {
      String clean = text;
      for (String password : passwords) {
        clean = clean.replace(password, "***");
      }
      return clean;
    }
  }
}
