package dev.tagflow.pipeline.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in {@code actions/upload-artifact} (v4): the files {@code path:} matches, as a zip in
 * the run's {@link ArtifactStore}, named {@code name} (default {@code artifact}). Paths in the zip
 * are relative to the deepest folder all {@code path:} lines share, as GitHub's are; hidden files
 * are left out unless {@code include-hidden-files}; a link to a file is stored as that file's
 * content, a link to a folder is not followed. Outputs {@code artifact-id}, {@code artifact-url}
 * (the zip's {@code file:} URL on the host) and {@code artifact-digest} (SHA-256 of the zip).
 */
final class UploadArtifact {

  private static final List<String> INPUTS =
      List.of(
          "name",
          "path",
          "if-no-files-found",
          "retention-days",
          "compression-level",
          "overwrite",
          "include-hidden-files");

  /** The characters GitHub refuses in an artifact's name. */
  private static final String INVALID = "\":<>|*?\r\n\\/";

  private UploadArtifact() {}

  static Map<String, String> run(BuiltInStep step) {
    step.known("actions/upload-artifact", INPUTS);
    String name = checkedName(step.input("name", "artifact"));
    String pathInput = step.required("path");
    String ifNone = step.input("if-no-files-found", "warn");
    if (!List.of("warn", "error", "ignore").contains(ifNone)) {
      throw new StepFailure(
          "actions/upload-artifact: Unrecognized if-no-files-found input. Provided: "
              + ifNone
              + ". Available options: warn, error, ignore");
    }
    int retention = number(step, "retention-days", 0, 0, 90);
    int level = number(step, "compression-level", 6, 0, 9);
    boolean overwrite = step.flag("overwrite", false);
    boolean hidden = step.flag("include-hidden-files", false);
    PathPatterns patterns =
        PathPatterns.parse(pathInput, step.workspace(), step.home(), "actions/upload-artifact");
    List<PathPatterns.Found> found =
        patterns.find(hidden).stream()
            .filter(
                f ->
                    f.kind() == PathPatterns.Kind.FILE
                        || (f.kind() == PathPatterns.Kind.LINK && Files.isRegularFile(f.path())))
            .toList();
    if (found.isEmpty()) {
      String message =
          "No files were found with the provided path: "
              + pathInput.strip().replace("\n", ", ")
              + ". No artifacts will be uploaded.";
      switch (ifNone) {
        case "error" -> throw new StepFailure(message);
        case "warn" -> step.warn(message);
        default -> step.log(message);
      }
      return Map.of();
    }
    Path root = root(patterns);
    List<FileArchive.Entry> entries = new ArrayList<>();
    for (PathPatterns.Found f : found) {
      entries.add(
          new FileArchive.Entry(
              root.relativize(f.path()).toString(), f.path(), PathPatterns.Kind.FILE));
    }
    ArtifactStore store = new ArtifactStore(step.scope().directory());
    Path staged = null;
    try {
      staged = store.staging();
      Path zip = staged.resolve("artifact.zip");
      FileArchive.write(zip, entries, level);
      String digest = sha256(zip);
      ArtifactStore.Artifact artifact =
          store.add(staged, name, overwrite, entries.size(), step.jobKey(), retention);
      staged = null;
      step.log(
          "With the provided path, there will be "
              + entries.size()
              + " file(s) uploaded (relative to "
              + root
              + ")");
      step.log(
          "Artifact "
              + name
              + " has been successfully uploaded! Final size is "
              + artifact.size()
              + " bytes. Artifact ID is "
              + artifact.id());
      Map<String, String> outputs = new LinkedHashMap<>();
      outputs.put("artifact-id", Long.toString(artifact.id()));
      outputs.put("artifact-url", artifact.archive().toUri().toString());
      outputs.put("artifact-digest", digest);
      return outputs;
    } catch (IOException e) {
      throw new StepFailure("actions/upload-artifact: cannot store " + name + ": " + e);
    } finally {
      if (staged != null) {
        try {
          ArtifactStore.delete(staged);
        } catch (IOException ignored) {
          // a staging folder left behind is never listed as an artifact
        }
      }
    }
  }

  /** The deepest folder every {@code path:} line's start shares (a file's: its folder). */
  private static Path root(PathPatterns patterns) {
    Path root = null;
    for (PathPatterns.Line line : patterns.includes()) {
      Path base = line.base();
      if (Files.isRegularFile(base) || !Files.isDirectory(base)) {
        base = base.getParent() == null ? base : base.getParent();
      }
      if (root == null) {
        root = base;
      } else {
        while (!base.startsWith(root)) {
          root = root.getParent();
        }
      }
    }
    return root;
  }

  static String checkedName(String name) {
    for (char c : name.toCharArray()) {
      if (INVALID.indexOf(c) >= 0) {
        throw new StepFailure(
            "The artifact name is not valid: "
                + name
                + ". Contains the character '"
                + (c == '\n' ? "\\n" : c == '\r' ? "\\r" : String.valueOf(c))
                + "'. Invalid characters include: \" : < > | * ? \\r \\n \\ /");
      }
    }
    if (name.equals(".") || name.equals("..") || name.length() > 200) {
      throw new StepFailure(
          "The artifact name is not valid: '" + name + "' (not '.', '..' or over 200 characters)");
    }
    return name;
  }

  private static int number(BuiltInStep step, String input, int otherwise, int min, int max) {
    String text = step.input(input, Integer.toString(otherwise));
    try {
      int value = Integer.parseInt(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new StepFailure(
        "actions/upload-artifact: "
            + input
            + " is '"
            + text
            + "'; give a whole number from "
            + min
            + " to "
            + max);
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in =
        new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
