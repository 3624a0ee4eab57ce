package dev.tagflow.pipeline.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Random;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Real jar files for image tests: a manifest and a resource of random (incompressible) bytes. */
final class TestJars {

  private TestJars() {}

  /** Writes a jar whose content depends only on {@code seed} and {@code size}. */
  static Path write(Path file, long seed, int size) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "dev.example.Main");
    Files.createDirectories(file.getParent());
    try (OutputStream out = Files.newOutputStream(file);
        JarOutputStream jar = new JarOutputStream(out, manifest)) {
      JarEntry entry = new JarEntry("data.bin");
      entry.setLastModifiedTime(FileTime.fromMillis(0));
      jar.putNextEntry(entry);
      byte[] data = new byte[size];
      new Random(seed).nextBytes(data);
      jar.write(data);
      jar.closeEntry();
    }
    return file;
  }
}
