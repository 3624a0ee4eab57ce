package dev.tagflow.pipeline.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache of {@code actions/cache} on the Tagflow host: a folder per repository under {@code
 * <data>/caches} (a repository's runs see only its own entries, as on GitHub), each entry a zip of
 * {@link FileArchive} and a properties file (key, version, size, created, last used).
 *
 * <p>An entry is found by its key and version (the version is the hash of the {@code path:} lines,
 * so another path list never restores it): first the exact key, then, for the key and each restore
 * key in order, the newest entry whose key starts with it. An entry is written to a temporary file
 * and renamed into place, its properties last, so a reader never sees half an entry; an entry whose
 * key and version exist already is not written again. After each save the repository's entries are
 * kept under {@code limitBytes} by removing the least recently used first.
 */
final class CacheStore {

  private static final Logger LOG = LoggerFactory.getLogger(CacheStore.class);

  /** GitHub's limit per repository: 10 GB. */
  static final long DEFAULT_LIMIT_BYTES = 10L * 1024 * 1024 * 1024;

  /** One entry. */
  record Entry(String key, String version, long size, long created, long lastUsed, Path archive) {}

  /** How a save ended. */
  enum Saved {
    SAVED,
    EXISTS,
    TOO_LARGE
  }

  private final Path root;
  private final long limitBytes;
  private final Clock clock;

  CacheStore(Path root, long limitBytes, Clock clock) {
    if (limitBytes < 1) {
      throw new IllegalArgumentException("a cache limit is at least 1 byte: " + limitBytes);
    }
    this.root = root;
    this.limitBytes = limitBytes;
    this.clock = clock;
  }

  long limitBytes() {
    return limitBytes;
  }

  /** The exact entry, else the newest whose key starts with the key, then each restore key. */
  synchronized Optional<Entry> find(
      String repository, String version, String key, List<String> restoreKeys) {
    List<Entry> entries =
        entries(repository).stream().filter(e -> e.version().equals(version)).toList();
    Optional<Entry> found = entries.stream().filter(e -> e.key().equals(key)).findFirst();
    List<String> prefixes = new ArrayList<>();
    prefixes.add(key);
    prefixes.addAll(restoreKeys);
    for (String prefix : prefixes) {
      if (found.isPresent()) {
        break;
      }
      found =
          entries.stream()
              .filter(e -> e.key().startsWith(prefix))
              .max(Comparator.comparingLong(Entry::created));
    }
    found.ifPresent(this::used);
    return found;
  }

  /** Whether an entry of that key and version exists. */
  synchronized boolean exists(String repository, String version, String key) {
    return Files.exists(properties(repository, version, key));
  }

  /**
   * Moves a written archive in as the entry of that key and version, then evicts.
   *
   * @param written a zip in {@link #staging(String)}; moved or deleted
   */
  synchronized Saved save(String repository, String version, String key, Path written)
      throws IOException {
    long size = Files.size(written);
    if (size > limitBytes) {
      Files.deleteIfExists(written);
      return Saved.TOO_LARGE;
    }
    Path properties = properties(repository, version, key);
    if (Files.exists(properties)) {
      Files.deleteIfExists(written);
      return Saved.EXISTS;
    }
    Path archive = archive(repository, version, key);
    Files.move(written, archive, StandardCopyOption.ATOMIC_MOVE);
    long now = clock.millis();
    write(properties, new Entry(key, version, size, now, now, archive));
    evict(repository, archive);
    return Saved.SAVED;
  }

  /** A new temporary file in the repository's folder, on the same file system as the entries. */
  Path staging(String repository) throws IOException {
    Path folder = Files.createDirectories(folder(repository));
    return folder.resolve(".staging-" + UUID.randomUUID() + ".zip");
  }

  /** The repository's entries, as their properties say; a broken one is left out. */
  List<Entry> entries(String repository) {
    Path folder = folder(repository);
    List<Entry> entries = new ArrayList<>();
    if (!Files.isDirectory(folder)) {
      return entries;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.properties")) {
      for (Path file : files) {
        read(file).ifPresent(entries::add);
      }
    } catch (IOException e) {
      LOG.warn("cache of {}: cannot list {}: {}", repository, folder, e.toString());
    }
    return entries;
  }

  private void evict(String repository, Path keep) {
    List<Entry> entries = new ArrayList<>(entries(repository));
    entries.sort(Comparator.comparingLong(Entry::lastUsed));
    long total = entries.stream().mapToLong(Entry::size).sum();
    for (Entry entry : entries) {
      if (total <= limitBytes) {
        break;
      }
      if (entry.archive().equals(keep)) {
        continue;
      }
      try {
        Files.deleteIfExists(propertiesOf(entry.archive()));
        Files.deleteIfExists(entry.archive());
        total -= entry.size();
        LOG.info("cache of {}: evicted key {} ({} bytes)", repository, entry.key(), entry.size());
      } catch (IOException e) {
        LOG.warn("cache of {}: cannot evict {}: {}", repository, entry.archive(), e.toString());
      }
    }
  }

  private void used(Entry entry) {
    try {
      write(
          propertiesOf(entry.archive()),
          new Entry(
              entry.key(),
              entry.version(),
              entry.size(),
              entry.created(),
              clock.millis(),
              entry.archive()));
    } catch (IOException e) {
      LOG.warn("cache: cannot mark {} used: {}", entry.archive(), e.toString());
    }
  }

  private void write(Path file, Entry entry) throws IOException {
    Properties p = new Properties();
    p.setProperty("key", entry.key());
    p.setProperty("version", entry.version());
    p.setProperty("size", Long.toString(entry.size()));
    p.setProperty("created", Long.toString(entry.created()));
    p.setProperty("lastUsed", Long.toString(entry.lastUsed()));
    Path temp = file.resolveSibling(".staging-" + UUID.randomUUID() + ".properties");
    try (OutputStream out = Files.newOutputStream(temp)) {
      p.store(out, "tagflow cache entry");
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private Optional<Entry> read(Path file) {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
      Path archive = file.resolveSibling(name(file).replace(".properties", ".zip"));
      if (!Files.exists(archive)) {
        return Optional.empty();
      }
      return Optional.of(
          new Entry(
              p.getProperty("key"),
              p.getProperty("version"),
              Long.parseLong(p.getProperty("size")),
              Long.parseLong(p.getProperty("created")),
              Long.parseLong(p.getProperty("lastUsed")),
              archive));
    } catch (IOException | RuntimeException e) {
      LOG.warn("cache: cannot read the entry {}: {}", file, e.toString());
      return Optional.empty();
    }
  }

  private static String name(Path file) {
    return file.getFileName().toString();
  }

  private Path properties(String repository, String version, String key) {
    return folder(repository).resolve(id(version, key) + ".properties");
  }

  private Path archive(String repository, String version, String key) {
    return folder(repository).resolve(id(version, key) + ".zip");
  }

  private static Path propertiesOf(Path archive) {
    return archive.resolveSibling(name(archive).replace(".zip", ".properties"));
  }

  /** A repository's folder: its name made safe, with a hash so two names never share one. */
  private Path folder(String repository) {
    String readable = repository.replaceAll("[^A-Za-z0-9._-]", "_");
    if (readable.length() > 80) {
      readable = readable.substring(0, 80);
    }
    return root.resolve(readable + "-" + sha256(repository).substring(0, 12));
  }

  private static String id(String version, String key) {
    return sha256(version + "\n" + key);
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
