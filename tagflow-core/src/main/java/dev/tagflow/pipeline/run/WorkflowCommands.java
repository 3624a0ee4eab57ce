package dev.tagflow.pipeline.run;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The workflow commands of one step's output ({@code ::add-mask::}, {@code ::error::}, {@code
 * ::group::}, …), read line by line before the line is masked and logged.
 *
 * <p>{@code ::add-mask::value} registers the value and shows nothing. {@code ::set-output} works
 * with a warning, as it still does on GitHub; {@code ::set-env} and {@code ::add-path}, which
 * GitHub disabled for safety, are refused with what to use instead. {@code ::stop-commands::token}
 * turns commands off until {@code ::token::}.
 */
final class WorkflowCommands {

  private final MaskedValues mask;
  private final LineMasker out;
  private final Map<String, String> outputs = new LinkedHashMap<>();
  private String stopToken;
  private int errors;

  WorkflowCommands(MaskedValues mask, BiConsumer<LogLine.Kind, String> log) {
    this.mask = mask;
    this.out = new LineMasker(mask, log);
  }

  /** Reads one line of output: a command is carried out, anything else goes to the log. */
  void line(String line) {
    String trimmed = line.stripLeading();
    if (!trimmed.startsWith("::")) {
      out.line(LogLine.Kind.OUTPUT, line);
      return;
    }
    int end = trimmed.indexOf("::", 2);
    if (end < 0) {
      out.line(LogLine.Kind.OUTPUT, line);
      return;
    }
    String head = trimmed.substring(2, end);
    String value = trimmed.substring(end + 2);
    int space = head.indexOf(' ');
    String command = space < 0 ? head : head.substring(0, space);
    String properties = space < 0 ? "" : head.substring(space + 1);
    if (stopToken != null) {
      if (command.equals(stopToken)) {
        stopToken = null;
      } else {
        out.line(LogLine.Kind.OUTPUT, line);
      }
      return;
    }
    switch (command) {
      case "add-mask" -> mask.add(unescape(value));
      case "error" -> {
        errors++;
        out.line(LogLine.Kind.ERROR, annotation(properties, unescape(value)));
      }
      case "warning" -> out.line(LogLine.Kind.WARNING, annotation(properties, unescape(value)));
      case "notice" -> out.line(LogLine.Kind.NOTICE, annotation(properties, unescape(value)));
      case "debug" -> out.line(LogLine.Kind.DEBUG, unescape(value));
      case "group" -> out.line(LogLine.Kind.GROUP, unescape(value));
      case "endgroup" -> out.line(LogLine.Kind.END_GROUP, "");
      case "stop-commands" -> stopToken = value.isEmpty() ? null : value;
      case "set-output" -> {
        String name = property(properties, "name");
        if (name.isEmpty()) {
          out.line(LogLine.Kind.WARNING, "::set-output without name= is ignored");
        } else {
          outputs.put(name, unescape(value));
          out.line(
              LogLine.Kind.WARNING,
              "The `set-output` command is deprecated; write name=value to $GITHUB_OUTPUT instead");
        }
      }
      case "set-env", "add-path" ->
          out.line(
              LogLine.Kind.ERROR,
              "The `"
                  + command
                  + "` command is disabled (as on GitHub): write to $"
                  + (command.equals("set-env") ? "GITHUB_ENV" : "GITHUB_PATH")
                  + " instead");
      case "echo", "save-state" -> {}
      default -> out.line(LogLine.Kind.OUTPUT, line);
    }
  }

  /** Writes a line held back for masking: the step's output ended. */
  void finish() {
    out.flush();
  }

  /** Outputs set with {@code ::set-output}. */
  Map<String, String> outputs() {
    return outputs;
  }

  int errors() {
    return errors;
  }

  private static String annotation(String properties, String message) {
    String file = property(properties, "file");
    if (file.isEmpty()) {
      return message;
    }
    String line = property(properties, "line");
    return file + (line.isEmpty() ? "" : ":" + line) + ": " + message;
  }

  private static String property(String properties, String name) {
    for (String part : properties.split(",")) {
      int eq = part.indexOf('=');
      if (eq > 0 && part.substring(0, eq).strip().equals(name)) {
        return unescapeProperty(part.substring(eq + 1).strip());
      }
    }
    return "";
  }

  /** GitHub's escapes in a command's value: %25 %0D %0A. */
  static String unescape(String value) {
    return value.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%");
  }

  private static String unescapeProperty(String value) {
    return unescape(value).replace("%3A", ":").replace("%2C", ",");
  }
}
