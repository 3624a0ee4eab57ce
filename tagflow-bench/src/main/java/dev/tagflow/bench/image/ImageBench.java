package dev.tagflow.bench.image;

import dev.tagflow.local.registry.LocalRegistry;
import dev.tagflow.pipeline.image.BuiltImage;
import dev.tagflow.pipeline.image.ImageBuilder;
import dev.tagflow.pipeline.image.ImageContent;
import dev.tagflow.pipeline.image.ImageSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.CRC32;

/**
 * Bench command: build and push of an image holding one jar of N MB (random, so incompressible as a
 * jar's compressed entries are) to a real registry on loopback, three ways: cold (a new jar, an
 * empty Jib cache, a registry without its layer), unchanged (the same jar again, same cache: no
 * layer pushed), and unchanged on another machine (same jar, empty cache: the layer is built again
 * but not pushed). Prints the median of each over the runs.
 *
 * <p>Run: {@code java -cp 'tagflow-bench/target/tagflow-bench.jar:tagflow-bench/target/lib/*'
 * dev.tagflow.bench.image.ImageBench [runs=5] [megabytes=50]}
 */
public final class ImageBench {

  private ImageBench() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int megabytes = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    Path temp = Files.createTempDirectory("tagflow-bench-image");
    List<Double> cold = new ArrayList<>();
    List<Double> unchanged = new ArrayList<>();
    List<Double> elsewhere = new ArrayList<>();
    BuiltImage lastCold = null;
    BuiltImage lastUnchanged = null;
    try (LocalRegistry registry = LocalRegistry.start(temp.resolve("registry"), 15500, true)) {
      // One run more than asked, the first a warm-up for the JIT, not counted.
      for (int run = 0; run <= runs; run++) {
        Path jar = writeJar(temp.resolve("run-" + run + "/app.jar"), run, megabytes);
        ImageSpec spec =
            ImageSpec.of(
                "scratch",
                new ImageContent.Jar(jar),
                List.of(),
                registry.address() + "/bench/app-" + run,
                List.of("1.0." + run, "c0ffee" + run));
        Path cache = temp.resolve("run-" + run + "/cache");

        long start = System.nanoTime();
        BuiltImage first = new ImageBuilder(cache).build(spec);
        long afterCold = System.nanoTime();
        BuiltImage again = new ImageBuilder(cache).build(spec);
        long afterUnchanged = System.nanoTime();
        new ImageBuilder(temp.resolve("run-" + run + "/other-cache")).build(spec);
        long afterElsewhere = System.nanoTime();

        if (run > 0) {
          cold.add(millis(afterCold - start));
          unchanged.add(millis(afterUnchanged - afterCold));
          elsewhere.add(millis(afterElsewhere - afterUnchanged));
          lastCold = first;
          lastUnchanged = again;
        }
      }
    }
    System.out.printf(
        "image build + push, %d MB jar on scratch, to a local registry, %d runs (after 1 warm-up):%n",
        megabytes, runs);
    System.out.printf(
        "  cold (new jar, empty cache)          median %7.0f ms   (%d layer, %.1f MB pushed)%n",
        median(cold), lastCold.layersPushed(), lastCold.bytesPushed() / 1e6);
    System.out.printf(
        "  unchanged jar, same cache            median %7.0f ms   (%d layers pushed, %d reused)%n",
        median(unchanged), lastUnchanged.layersPushed(), lastUnchanged.layersReused());
    System.out.printf(
        "  unchanged jar, empty cache           median %7.0f ms   (layer built again, not pushed)%n",
        median(elsewhere));
  }

  private static Path writeJar(Path file, long seed, int megabytes) throws IOException {
    Files.createDirectories(file.getParent());
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    Random random = new Random(seed);
    byte[] chunk = new byte[1024 * 1024];
    try (OutputStream out = Files.newOutputStream(file);
        JarOutputStream jar = new JarOutputStream(out, manifest)) {
      JarEntry entry = new JarEntry("data.bin");
      entry.setMethod(JarEntry.STORED);
      entry.setLastModifiedTime(FileTime.fromMillis(0));
      entry.setSize((long) chunk.length * megabytes);
      CRC32 crc = new CRC32();
      List<byte[]> chunks = new ArrayList<>();
      for (int i = 0; i < megabytes; i++) {
        byte[] next = new byte[chunk.length];
        random.nextBytes(next);
        crc.update(next);
        chunks.add(next);
      }
      entry.setCrc(crc.getValue());
      jar.putNextEntry(entry);
      for (byte[] next : chunks) {
        jar.write(next);
      }
      jar.closeEntry();
    }
    return file;
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
