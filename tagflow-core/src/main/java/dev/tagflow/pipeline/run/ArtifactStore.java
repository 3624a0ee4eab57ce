package dev.tagflow.pipeline.run;

import dev.tagflow.DirectoryRemoval;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

/**
 * The artifacts of one run, in {@code <run>/artifacts}: a folder per artifact ({@code n-<name>})
 * holding {@code artifact.zip} and {@code artifact.properties} (id, name, size, files, job,
 * retention days). An artifact is put together in a staging folder and renamed into place, so a
 * name is taken once (by the rename, which fails when the folder exists) and a reader never sees
 * half an artifact. Ids count up from 1 in the run.
 */
final class ArtifactStore {

  /** One artifact of the run. */
  record Artifact(
      long id, String name, long size, int files, String job, int retentionDays, Path archive) {}

  private static final String PREFIX = "n-";

  private final Path folder;

  ArtifactStore(Path runDirectory) {
    this.folder = runDirectory.resolve("artifacts");
  }

  /** A new staging folder for an artifact being written. */
  Path staging() throws IOException {
    return Files.createDirectories(folder.resolve(".staging-" + UUID.randomUUID()));
  }

  /**
   * Takes a staged artifact ({@code artifact.zip} written in {@link #staging()}) as {@code name}.
   *
   * @throws StepFailure when the name is taken and {@code overwrite} is false
   */
  Artifact add(
      Path staged, String name, boolean overwrite, int files, String job, int retentionDays)
      throws IOException {
    long id = nextId();
    Path archive = staged.resolve("artifact.zip");
    Artifact artifact =
        new Artifact(
            id,
            name,
            Files.size(archive),
            files,
            job,
            retentionDays,
            target(name).resolve("artifact.zip"));
    Properties p = new Properties();
    p.setProperty("id", Long.toString(id));
    p.setProperty("name", name);
    p.setProperty("size", Long.toString(artifact.size()));
    p.setProperty("files", Integer.toString(files));
    p.setProperty("job", job);
    p.setProperty("retentionDays", Integer.toString(retentionDays));
    try (OutputStream out = Files.newOutputStream(staged.resolve("artifact.properties"))) {
      p.store(out, "tagflow artifact");
    }
    Path target = target(name);
    if (overwrite && Files.exists(target)) {
      Path old = folder.resolve(".deleted-" + UUID.randomUUID());
      Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
      delete(old);
    }
    try {
      Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      throw taken(name);
    } catch (FileSystemException e) {
      if (Files.exists(target)) {
        throw taken(name);
      }
      throw e;
    }
    return artifact;
  }

  private static StepFailure taken(String name) {
    return new StepFailure(
        "Failed to CreateArtifact: (409) Conflict: an artifact with this name already exists on"
            + " the workflow run: '"
            + name
            + "'; give each upload its own name, or set overwrite: true");
  }

  /** The run's artifacts, in the order of their ids. */
  List<Artifact> list() {
    List<Artifact> artifacts = new ArrayList<>();
    if (!Files.isDirectory(folder)) {
      return artifacts;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(folder, PREFIX + "*")) {
      for (Path dir : dirs) {
        read(dir).ifPresent(artifacts::add);
      }
    } catch (IOException e) {
      throw new StepFailure("cannot list the run's artifacts in " + folder + ": " + e.getMessage());
    }
    artifacts.sort(Comparator.comparingLong(Artifact::id));
    return artifacts;
  }

  Optional<Artifact> find(String name) {
    return read(target(name));
  }

  private Optional<Artifact> read(Path dir) {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(dir.resolve("artifact.properties"))) {
      p.load(in);
      return Optional.of(
          new Artifact(
              Long.parseLong(p.getProperty("id")),
              p.getProperty("name"),
              Long.parseLong(p.getProperty("size")),
              Integer.parseInt(p.getProperty("files")),
              p.getProperty("job"),
              Integer.parseInt(p.getProperty("retentionDays")),
              dir.resolve("artifact.zip")));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private Path target(String name) {
    return folder.resolve(PREFIX + name);
  }

  /** The next id: the first number whose marker folder this call creates (atomic). */
  private long nextId() throws IOException {
    Path ids = Files.createDirectories(folder.resolve(".ids"));
    for (long id = 1; ; id++) {
      try {
        Files.createDirectory(ids.resolve(Long.toString(id)));
        return id;
      } catch (FileAlreadyExistsException e) {
        // taken by an earlier artifact; try the next
      }
    }
  }

  static void delete(Path directory) throws IOException {
    DirectoryRemoval.delete(directory);
  }
}
