package dev.tagflow.yaml;

import dev.tagflow.TagflowException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.yaml.snakeyaml.LoaderOptions;
import tools.jackson.core.StreamReadConstraints;

/**
 * How much YAML Tagflow reads from one file: its size, refused before it is parsed, and its depth,
 * nodes and text once its aliases are resolved, refused as soon as a bound is passed.
 *
 * <p>Aliases are what make small YAML large: each {@code *name} stands for the whole node anchored
 * as {@code &name}, and an anchor may hold aliases of earlier anchors, so 30 lines can stand for
 * 2<sup>30</sup> values ("billion laughs"). Counting aliases does not bound that; counting what
 * they expand to does, and the count is kept without expanding anything.
 *
 * @param maxFileBytes a larger file is refused by its size, before a byte of it is parsed
 * @param maxDepth how deeply mappings and lists may nest, aliases resolved; the readers recurse, so
 *     this also keeps the stack small
 * @param maxNodes how many values (keys, scalars, mappings, lists) one file may hold, aliases
 *     resolved
 * @param maxTextChars how many characters of keys and scalars one file may hold, aliases resolved
 * @param maxAliases how many aliases one file may use; the expansion bounds are what stop a bomb,
 *     this only stops a file made of nothing else
 */
public record YamlLimits(
    long maxFileBytes, int maxDepth, long maxNodes, long maxTextChars, int maxAliases) {

  private static final long MIB = 1024 * 1024;

  public YamlLimits {
    if (maxFileBytes < 1 || maxFileBytes > Integer.MAX_VALUE) {
      // SnakeYAML counts code points in an int.
      throw new IllegalArgumentException("maxFileBytes must be between 1 and 2^31-1");
    }
    if (maxDepth < 1 || maxNodes < 1 || maxTextChars < 1 || maxAliases < 0) {
      throw new IllegalArgumentException("YAML limits must be positive");
    }
  }

  /**
   * Limits no real Kubernetes YAML comes near, and that keep a hostile file to tens of MB of heap
   * and about half a second (measured: a file just under the node limit, 980,000 nodes once its
   * aliases are resolved into Jackson trees, took 24 MB and 0.5 s).
   *
   * <ul>
   *   <li>10 MiB per file: the API server refuses an object over 1.5 MiB (etcd's request limit),
   *       and the large files projects ship, all their CRDs in one, are well under it (Gateway
   *       API's standard-install.yaml: 0.45 MiB).
   *   <li>200 levels: CRD schemas are the deepest Kubernetes YAML, and three large CRD files
   *       measured (Gateway API's, Prometheus', one of 378 KB) nest 23 to 28 levels.
   *   <li>1,000,000 nodes: those files hold one node per 46 to 64 bytes (Gateway API's: 7,317 nodes
   *       in 469,150 bytes), so a 10 MiB file of them about 230,000; the rest is room for denser
   *       YAML and for aliases.
   *   <li>32 MiB of text: three times what a 10 MiB file holds without aliases.
   *   <li>10,000 aliases: manifests use a handful.
   * </ul>
   */
  public static YamlLimits defaults() {
    return new YamlLimits(10 * MIB, 200, 1_000_000, 32 * MIB, 10_000);
  }

  /**
   * Four times the room for bytes, nodes and text: for what a program prints from a whole source at
   * once ({@code kubectl kustomize} writes an overlay and every base it includes as one stream).
   */
  public YamlLimits forGeneratedOutput() {
    return new YamlLimits(
        Math.min(Integer.MAX_VALUE, maxFileBytes * 4),
        maxDepth,
        maxNodes * 4,
        maxTextChars * 4,
        maxAliases);
  }

  /**
   * Refuses a file by its size, before it is read.
   *
   * @throws TagflowException (INVALID_INPUT) naming the file, its size and the limit
   */
  public void checkSize(String file, long bytes) {
    if (bytes > maxFileBytes) {
      throw TagflowException.invalidInput(
          file
              + " is "
              + String.format("%,d", bytes)
              + " bytes, more than the "
              + size(maxFileBytes)
              + " Tagflow reads from one YAML file; split it into smaller files");
    }
  }

  /** Refuses text already in memory (a program's output, a block in a file) by its length. */
  public void checkLength(String file, CharSequence text) {
    if (text.length() > maxFileBytes) {
      throw TagflowException.invalidInput(
          file
              + " is "
              + String.format("%,d", text.length())
              + " characters, more than the "
              + size(maxFileBytes)
              + " Tagflow reads from one YAML file; split it into smaller files");
    }
  }

  /**
   * The text of a file, refused by its size before it is read.
   *
   * @throws TagflowException (INVALID_INPUT) when the file is too large or missing; (FAILED) when
   *     it cannot be read
   */
  public String readFile(Path file) {
    try {
      checkSize(file.toString(), Files.size(file));
      return Files.readString(file);
    } catch (NoSuchFileException e) {
      throw TagflowException.invalidInput(file + ": no such file");
    } catch (IOException e) {
      throw TagflowException.failed("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** The text from a reader, refused as soon as it grows past the limit. */
  public String read(String file, Reader reader) throws IOException {
    StringBuilder text = new StringBuilder();
    char[] buffer = new char[8192];
    for (int n; (n = reader.read(buffer)) >= 0; ) {
      text.append(buffer, 0, n);
      checkLength(file, text);
    }
    return text.toString();
  }

  /** SnakeYAML's own limits, set just above ours so that ours, with their positions, come first. */
  LoaderOptions loaderOptions() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit((int) maxFileBytes);
    options.setNestingDepthLimit(maxDepth + 1);
    options.setMaxAliasesForCollections(maxAliases + 1);
    options.setAllowRecursiveKeys(false);
    return options;
  }

  /**
   * Jackson's limits: for JSON, which has no aliases, the whole policy; for YAML a second line
   * behind the meter's.
   */
  public StreamReadConstraints streamReadConstraints() {
    return StreamReadConstraints.builder()
        .maxNestingDepth(maxDepth + 1)
        .maxDocumentLength(maxFileBytes)
        .maxStringLength((int) maxFileBytes)
        // A node is at most two tokens (a value and, for a mapping or list, its end).
        .maxTokenCount(2 * maxNodes + 2)
        .build();
  }

  /** "10 MiB" for whole mebibytes, else the number of bytes. */
  static String size(long bytes) {
    return bytes % MIB == 0 ? bytes / MIB + " MiB" : String.format("%,d bytes", bytes);
  }
}
