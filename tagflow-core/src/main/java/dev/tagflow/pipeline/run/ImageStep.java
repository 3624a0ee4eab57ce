package dev.tagflow.pipeline.run;

import dev.tagflow.pipeline.image.BuiltImage;
import dev.tagflow.pipeline.image.ImageBuildException;
import dev.tagflow.pipeline.image.ImageBuilder;
import dev.tagflow.pipeline.image.ImageContent;
import dev.tagflow.pipeline.image.ImageSpec;
import dev.tagflow.pipeline.image.RegistryCredential;
import dev.tagflow.pipeline.workflow.RefPush;
import dev.tagflow.promote.ReleaseRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The built-in {@code tagflow/image}: the step's {@code with:} made into an {@link ImageSpec}
 * (paths inside the workspace, tags defaulting to the version and the short commit, the registry
 * credential from {@code username}/{@code password}) and built by the {@link ImageBuilder}; its
 * outputs are {@code digest}, {@code image} and {@code tags}.
 */
final class ImageStep {

  static final String ACTION = "tagflow/image";

  private static final Set<String> KNOWN =
      Set.of(
          "from",
          "jar",
          "directory",
          "entrypoint",
          "image",
          "tags",
          "insecure-registries",
          "username",
          "password");

  private ImageStep() {}

  /**
   * Builds and pushes the image; returns the step's outputs.
   *
   * @throws StepFailure a bad input, or the build's typed failure and message
   */
  static Map<String, String> run(
      Map<String, String> with,
      Path workspace,
      RunRequest request,
      ImageBuilder builder,
      MaskedValues mask,
      Consumer<String> log) {
    for (String input : with.keySet()) {
      if (!KNOWN.contains(input)) {
        throw new StepFailure(ACTION + " has no input '" + input + "' (known: " + KNOWN + ")");
      }
    }
    String image = required(with, "image", "the repository to push to: 127.0.0.1:5000/shop/web");
    String from = with.getOrDefault("from", "").strip();
    if (from.isEmpty()) {
      from = ImageSpec.SCRATCH;
    }
    String jar = with.getOrDefault("jar", "").strip();
    String directory = with.getOrDefault("directory", "").strip();
    if (jar.isEmpty() == directory.isEmpty()) {
      throw new StepFailure(
          ACTION + " needs exactly one of 'jar' and 'directory' (a path in the workspace)");
    }
    ImageContent content;
    if (!jar.isEmpty()) {
      Path file = Checkout.inside(workspace, jar);
      if (!Files.isRegularFile(file)) {
        throw new StepFailure(
            ACTION
                + ": jar '"
                + jar
                + "' is not a file in the workspace; build it in a step before");
      }
      content = new ImageContent.Jar(real(workspace, file, jar));
    } else {
      Path root = Checkout.inside(workspace, directory);
      if (!Files.isDirectory(root)) {
        throw new StepFailure(
            ACTION + ": directory '" + directory + "' is not a directory in the workspace");
      }
      content = new ImageContent.Directory(real(workspace, root, directory));
    }
    // Arguments may hold commas; only white space separates them.
    List<String> entrypoint =
        Arrays.stream(with.getOrDefault("entrypoint", "").strip().split("\\s+"))
            .filter(w -> !w.isEmpty())
            .toList();
    List<String> tags = words(with.getOrDefault("tags", ""));
    if (tags.isEmpty()) {
      tags = defaultTags(request);
    }
    ImageSpec spec =
        ImageSpec.of(from, content, entrypoint, image, tags)
            .withInsecureRegistries(
                new LinkedHashSet<>(words(with.getOrDefault("insecure-registries", ""))));
    String username = with.getOrDefault("username", "");
    String password = with.getOrDefault("password", "");
    if (username.isEmpty() != password.isEmpty()) {
      throw new StepFailure(
          ACTION + " needs both 'username' and 'password' for the registry, or neither");
    }
    if (!password.isEmpty()) {
      // Masked even when the workflow wrote it in clear rather than from secrets.
      mask.add(password);
      RegistryCredential credential = new RegistryCredential(username, password);
      spec = spec.withCredential(registryOf(image), credential);
      if (!spec.fromScratch() && !registryOf(from).equals(registryOf(image))) {
        log.accept(
            "the credential is for "
                + registryOf(image)
                + " only; the base image's registry "
                + registryOf(from)
                + " is read anonymously");
      }
    }
    log.accept("building " + image + " from " + from + " with tags " + String.join(", ", tags));
    BuiltImage built;
    try {
      built = builder.build(spec, log);
    } catch (ImageBuildException e) {
      throw new StepFailure(
          ACTION + " failed (" + e.failure().name().toLowerCase() + "): " + e.getMessage());
    }
    log.accept(
        "pushed "
            + built.reference()
            + " ("
            + built.layersPushed()
            + " layers pushed, "
            + built.layersReused()
            + " reused, "
            + built.bytesPushed()
            + " bytes)");
    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("digest", built.digest());
    outputs.put("image", built.reference());
    outputs.put("tags", String.join(",", built.tags()));
    return outputs;
  }

  /** The version of a tag ({@code v1.2.3} → {@code 1.2.3}) and the short commit. */
  static List<String> defaultTags(RunRequest request) {
    String shortCommit = request.commit().substring(0, 7);
    RefPush ref = request.event().ref();
    if (ref.kind() == RefPush.Kind.TAG) {
      return List.of(ReleaseRef.versionOf(ref.name()), shortCommit);
    }
    return List.of(shortCommit);
  }

  /** The registry part of a reference: what is before the first '/' when it looks like a host. */
  static String registryOf(String reference) {
    int slash = reference.indexOf('/');
    if (slash > 0) {
      String first = reference.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        return first;
      }
    }
    return "docker.io";
  }

  /**
   * The path with its links followed, refused when that leaves the workspace: a step could
   * otherwise link a host file into the workspace and have it pushed in the image.
   */
  private static Path real(Path workspace, Path path, String given) {
    try {
      Path real = path.toRealPath();
      if (!real.startsWith(workspace.toRealPath())) {
        throw new StepFailure(
            ACTION
                + ": '"
                + given
                + "' is a link to "
                + real
                + ", outside the workspace; copy the file into the workspace instead");
      }
      return real;
    } catch (java.io.IOException e) {
      throw new StepFailure(ACTION + ": cannot read '" + given + "': " + e.getMessage());
    }
  }

  private static String required(Map<String, String> with, String name, String example) {
    String value = with.getOrDefault(name, "").strip();
    if (value.isEmpty()) {
      throw new StepFailure(ACTION + " needs '" + name + "': " + example);
    }
    return value;
  }

  /** Values separated by commas, spaces or lines, as GitHub actions take lists. */
  static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    Arrays.stream(text.split("[,\\s]+")).filter(w -> !w.isEmpty()).forEach(out::add);
    return out;
  }
}
