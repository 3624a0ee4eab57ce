package dev.tagflow.server.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Paths as a settings file writes them: {@code ~} is the home folder, and a relative path starts at
 * the file's own folder (not at wherever the server was started), so the file means the same from
 * any directory.
 *
 * @param folder the settings file's folder, absolute
 * @param home the user's home folder
 */
record SettingsPaths(Path folder, Path home) {

  /** The absolute path, or empty with a problem added at the value when it cannot be one. */
  Optional<Path> resolve(YamlFields fields, String key, String text, SettingsProblems problems) {
    String written = text.strip();
    if (written.startsWith("~") && !written.equals("~") && !written.startsWith("~/")) {
      problems.add(
          fields.valueMark(key),
          fields.child(key)
              + " '"
              + written
              + "': only ~ (your home folder) is expanded, not ~user; write the full path");
      return Optional.empty();
    }
    try {
      Path path =
          written.equals("~")
              ? home
              : written.startsWith("~/") ? home.resolve(written.substring(2)) : Path.of(written);
      return Optional.of(folder.resolve(path).normalize());
    } catch (InvalidPathException e) {
      problems.add(
          fields.valueMark(key), fields.child(key) + " '" + written + "' is not a valid path");
      return Optional.empty();
    }
  }

  /** {@link #resolve}, and a problem unless it is a readable file: a secret, a kubeconfig. */
  Optional<Path> existingFile(
      YamlFields fields, String key, String what, SettingsProblems problems) {
    return fields
        .string(key)
        .flatMap(text -> resolve(fields, key, text, problems))
        .filter(
            path -> {
              if (Files.isRegularFile(path) && Files.isReadable(path)) {
                return true;
              }
              problems.add(
                  fields.valueMark(key),
                  fields.child(key)
                      + " "
                      + path
                      + (Files.exists(path) ? " cannot be read" : " does not exist")
                      + "; it should hold "
                      + what
                      + " (fix the path, or create the file)");
              return false;
            });
  }
}
