package dev.tagflow.pipeline.run;

import dev.tagflow.pipeline.expression.Contexts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The built-ins {@code actions/cache}, {@code actions/cache/restore} and {@code actions/cache/save}
 * (v4), backed by the host's {@link CacheStore}.
 *
 * <p>{@code actions/cache} restores (exact {@code key}, else the newest prefix match of the key and
 * then of each {@code restore-keys} line), sets {@code cache-hit} ({@code true} only for the exact
 * key), and leaves a post step that saves the {@code path:} files under the key at the job's end if
 * the job succeeded and the key was not hit exactly. Entries are zips with one folder per {@code
 * path:} line, restored only into the place that line names now.
 */
final class CacheStep {

  /** Which of the three actions. */
  enum Mode {
    CACHE("actions/cache"),
    RESTORE("actions/cache/restore"),
    SAVE("actions/cache/save");

    final String action;

    Mode(String action) {
      this.action = action;
    }
  }

  private static final List<String> RESTORE_INPUTS =
      List.of(
          "path",
          "key",
          "restore-keys",
          "upload-chunk-size",
          "enableCrossOsArchive",
          "fail-on-cache-miss",
          "lookup-only",
          "save-always");
  private static final List<String> SAVE_INPUTS =
      List.of("path", "key", "upload-chunk-size", "enableCrossOsArchive");

  /** GitHub's limit on a key. */
  static final int MAX_KEY_LENGTH = 512;

  private CacheStep() {}

  static Map<String, String> run(BuiltInStep step, Mode mode, String uses) {
    step.known(mode.action, mode == Mode.SAVE ? SAVE_INPUTS : RESTORE_INPUTS);
    String key = checkedKey(step.required("key"));
    String pathInput = step.required("path");
    step.flag("enableCrossOsArchive", false); // checked; one OS here, so nothing changes
    if (mode == Mode.SAVE) {
      save(step, pathInput, key);
      return Map.of();
    }
    List<String> restoreKeys = new ArrayList<>();
    for (String line : step.input("restore-keys", "").split("\n")) {
      if (!line.isBlank()) {
        restoreKeys.add(checkedKey(line.strip()));
      }
    }
    boolean failOnMiss = step.flag("fail-on-cache-miss", false);
    boolean lookupOnly = step.flag("lookup-only", false);
    boolean saveAlways = step.flag("save-always", false);
    Optional<CacheStore.Entry> hit = restore(step, pathInput, key, restoreKeys, lookupOnly);
    if (hit.isEmpty() && failOnMiss) {
      throw new StepFailure(
          "Failed to restore cache entry. Exiting as fail-on-cache-miss is set. Input key: " + key);
    }
    boolean exact = hit.isPresent() && hit.get().key().equals(key);
    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("cache-hit", Boolean.toString(exact));
    if (mode == Mode.RESTORE) {
      outputs.put("cache-primary-key", key);
      outputs.put("cache-matched-key", hit.map(CacheStore.Entry::key).orElse(""));
      return outputs;
    }
    step.posts().accept(postSave(step, uses, pathInput, key, exact, saveAlways));
    return outputs;
  }

  /**
   * The save at the job's end, as GitHub's post step: only if the job succeeded (or {@code always})
   * and the key was not hit exactly.
   */
  static PostStep postSave(
      BuiltInStep step, String uses, String pathInput, String key, boolean exact, boolean always) {
    // The save only warns when it fails, as GitHub's cache does; the job's result stays.
    return new PostStep(
        step.index(),
        "Post Run " + uses,
        "always()",
        end -> {
          boolean succeeded = end.status() == Contexts.Status.SUCCESS;
          if (!succeeded && !always) {
            step.log("not saving the cache: the job did not succeed (as on GitHub)");
          } else if (exact) {
            step.log("Cache hit occurred on the primary key " + key + ", not saving cache.");
          } else {
            try {
              save(step, pathInput, key);
            } catch (RuntimeException e) {
              step.warn("the cache was not saved: " + e.getMessage());
            }
          }
          return ProcessStep.Outcome.succeeded(Map.of());
        });
  }

  /**
   * Restores the first entry found for the key and restore keys into the {@code path:} lines'
   * places, or only looks it up.
   */
  static Optional<CacheStore.Entry> restore(
      BuiltInStep step,
      String pathInput,
      String key,
      List<String> restoreKeys,
      boolean lookupOnly) {
    PathPatterns patterns = patterns(step, pathInput);
    CacheStore store = step.scope().tools().caches();
    String repository = step.scope().request().repository();
    Optional<CacheStore.Entry> hit = store.find(repository, version(pathInput), key, restoreKeys);
    if (hit.isEmpty()) {
      List<String> keys = new ArrayList<>();
      keys.add(key);
      keys.addAll(restoreKeys);
      step.log("Cache not found for input keys: " + String.join(", ", keys));
      return hit;
    }
    if (lookupOnly) {
      step.log("Cache found and can be restored from key: " + hit.get().key());
      return hit;
    }
    List<PathPatterns.Line> lines = patterns.includes();
    int written =
        FileArchive.extract(
            hit.get().archive(),
            name -> place(lines, name),
            new FileArchive.Limits(PathPatterns.MAX_ENTRIES, store.limitBytes() * 4));
    step.log(
        "Cache restored from key: "
            + hit.get().key()
            + " ("
            + written
            + " entries, "
            + hit.get().size()
            + " bytes)");
    return hit;
  }

  /** Saves the {@code path:} files under the key; a failure to save is a warning, as on GitHub. */
  static void save(BuiltInStep step, String pathInput, String key) {
    PathPatterns patterns = patterns(step, pathInput);
    CacheStore store = step.scope().tools().caches();
    String repository = step.scope().request().repository();
    String version = version(pathInput);
    if (store.exists(repository, version, key)) {
      step.warn(
          "Failed to save: Unable to reserve cache with key "
              + key
              + ", another job may be creating this cache.");
      return;
    }
    List<FileArchive.Entry> entries = new ArrayList<>();
    for (PathPatterns.Found found : patterns.find(true)) {
      Path base = found.base();
      if (found.kind() == PathPatterns.Kind.LINK && !restorable(base, found.path())) {
        step.warn(
            "the link "
                + found.path()
                + " is not cached: its target leaves "
                + base
                + ", and a restore refuses such links");
        continue;
      }
      String name = found.line() + "/" + base.getFileName() + suffix(base.relativize(found.path()));
      entries.add(new FileArchive.Entry(name, found.path(), found.kind()));
    }
    if (entries.isEmpty()) {
      step.warn(
          "Path Validation Error: Path(s) specified in the action for caching do(es) not exist,"
              + " hence no cache is being saved.");
      return;
    }
    Path staging = null;
    try {
      staging = store.staging(repository);
      long bytes = FileArchive.write(staging, entries, 6);
      CacheStore.Saved saved = store.save(repository, version, key, staging);
      switch (saved) {
        case SAVED -> step.log("Cache saved with key: " + key + " (" + bytes + " bytes of files)");
        case EXISTS ->
            step.warn(
                "Failed to save: Unable to reserve cache with key "
                    + key
                    + ", another job may be creating this cache.");
        case TOO_LARGE ->
            step.warn(
                "Failed to save: the cache entry is larger than the host's cache limit of "
                    + store.limitBytes()
                    + " bytes per repository");
      }
    } catch (IOException | RuntimeException e) {
      step.warn("Failed to save: " + e.getMessage());
    } finally {
      if (staging != null) {
        try {
          Files.deleteIfExists(staging);
        } catch (IOException ignored) {
          // a staging file left behind is not an entry; the next save makes its own
        }
      }
    }
  }

  private static boolean restorable(Path base, Path link) {
    try {
      return FileArchive.linkStaysIn(base, link, Files.readSymbolicLink(link).toString());
    } catch (IOException e) {
      return false;
    }
  }

  private static String suffix(Path relative) {
    String text = relative.toString();
    return text.isEmpty() ? "" : "/" + text;
  }

  private static FileArchive.Place place(List<PathPatterns.Line> lines, String name) {
    String[] parts = name.split("/", 3);
    int line;
    try {
      line = Integer.parseInt(parts[0]);
    } catch (NumberFormatException e) {
      line = -1;
    }
    if (line < 0 || line >= lines.size() || parts.length < 2) {
      throw new StepFailure(
          "the cache entry is refused and nothing was written: entry '"
              + name
              + "' belongs to no path: line");
    }
    Path base = lines.get(line).base();
    if (!parts[1].replace("/", "").equals(String.valueOf(base.getFileName()))) {
      throw new StepFailure(
          "the cache entry is refused and nothing was written: entry '"
              + name
              + "' is not under "
              + base);
    }
    Path target = parts.length == 3 && !parts[2].isEmpty() ? base.resolve(parts[2]) : base;
    return new FileArchive.Place(base, target);
  }

  private static PathPatterns patterns(BuiltInStep step, String pathInput) {
    PathPatterns patterns =
        PathPatterns.parse(pathInput, step.workspace(), step.home(), "actions/cache");
    for (PathPatterns.Line line : patterns.includes()) {
      if (line.base().getParent() == null) {
        throw new StepFailure(
            "actions/cache: the path '"
                + line.written()
                + "' starts at the file system's root; name a folder");
      }
    }
    return patterns;
  }

  /** GitHub's cache version: the paths as written and the compression, so others never match. */
  static String version(String pathInput) {
    List<String> lines = pathInput.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    return CacheStore.sha256(String.join("|", lines) + "|tagflow-zip-1");
  }

  private static String checkedKey(String key) {
    if (key.length() > MAX_KEY_LENGTH) {
      throw new StepFailure(
          "Key Validation Error: " + key + " cannot be larger than 512 characters.");
    }
    if (key.contains(",")) {
      throw new StepFailure("Key Validation Error: " + key + " cannot contain commas.");
    }
    return key;
  }
}
