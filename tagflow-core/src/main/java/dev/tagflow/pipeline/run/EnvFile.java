package dev.tagflow.pipeline.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code $GITHUB_OUTPUT} and {@code $GITHUB_ENV} as GitHub defines them: {@code name=value}
 * lines, and {@code name<<DELIMITER} followed by lines up to a line that is the delimiter alone.
 */
final class EnvFile {

  /** A step may write at most this much to one file; more is refused, not read. */
  static final long MAX_BYTES = 16L * 1024 * 1024;

  private EnvFile() {}

  /**
   * The names and values in the file, later ones winning.
   *
   * @throws StepFailure saying which line of which file is wrong
   */
  static Map<String, String> read(Path file, String what) {
    Map<String, String> values = new LinkedHashMap<>();
    List<String> lines;
    try {
      if (!Files.exists(file)) {
        return values;
      }
      if (Files.size(file) > MAX_BYTES) {
        throw new StepFailure(what + " is larger than " + MAX_BYTES / 1024 / 1024 + " MiB");
      }
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StepFailure("cannot read " + what + ": " + e.getMessage());
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      int heredoc = line.indexOf("<<");
      int equals = line.indexOf('=');
      if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
        values.put(name(line.substring(0, equals), what, i), line.substring(equals + 1));
      } else if (heredoc > 0) {
        String name = name(line.substring(0, heredoc), what, i);
        String delimiter = line.substring(heredoc + 2);
        if (delimiter.isEmpty()) {
          throw new StepFailure(what + " line " + (i + 1) + ": '" + name + "<<' has no delimiter");
        }
        StringBuilder value = new StringBuilder();
        int start = i;
        boolean closed = false;
        for (i++; i < lines.size(); i++) {
          if (lines.get(i).equals(delimiter)) {
            closed = true;
            break;
          }
          if (i > start + 1) {
            value.append('\n');
          }
          value.append(lines.get(i));
        }
        if (!closed) {
          throw new StepFailure(
              what
                  + " line "
                  + (start + 1)
                  + ": the value of '"
                  + name
                  + "' is not ended by a line '"
                  + delimiter
                  + "'");
        }
        values.put(name, value.toString());
      } else {
        throw new StepFailure(
            what + " line " + (i + 1) + " is neither name=value nor name<<DELIMITER");
      }
    }
    return values;
  }

  private static String name(String name, String what, int index) {
    if (name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
      throw new StepFailure(what + " line " + (index + 1) + ": '" + name + "' is not a name");
    }
    return name;
  }
}
