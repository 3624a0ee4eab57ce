package dev.tagflow.pipeline.image;

import java.nio.file.Path;
import java.util.Objects;

/** What goes into the image's application layer: one jar, or a directory's files. */
public sealed interface ImageContent {

  /** Where the content lands in the image. */
  String APP_DIRECTORY = "/app";

  /** A jar, copied to {@code /app/<its file name>}; run with {@code java -jar} by default. */
  record Jar(Path file) implements ImageContent {
    public Jar {
      Objects.requireNonNull(file, "file");
    }

    /** The jar's path inside the image. */
    public String pathInImage() {
      return APP_DIRECTORY + "/" + file.getFileName();
    }
  }

  /** A directory, its files copied under {@code /app} keeping their relative paths. */
  record Directory(Path root) implements ImageContent {
    public Directory {
      Objects.requireNonNull(root, "root");
    }
  }
}
