package dev.tagflow.cli;

import dev.tagflow.cli.client.JsonText;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The {@code -o table|wide|json|yaml} option of the client verbs, and the printing: JSON and YAML
 * print the server's answer as it came (a script's stable input), tables a person's view of it.
 */
final class ClientOutput {

  /** What a client verb prints. */
  enum Format {
    table,
    wide,
    json,
    yaml
  }

  @Option(
      names = {"-o", "--output"},
      paramLabel = "<format>",
      defaultValue = "table",
      description = "table, wide (more columns), json or yaml (default: ${DEFAULT-VALUE}).")
  Format format;

  /** Whether the answer is printed as data (json or yaml) rather than a table. */
  boolean data() {
    return format == Format.json || format == Format.yaml;
  }

  boolean wide() {
    return format == Format.wide;
  }

  /** Prints a value (maps, lists, text, numbers) as JSON or YAML. */
  void printData(PrintWriter out, Object value) {
    if (format == Format.yaml) {
      // SnakeYAML only when YAML is asked for: the other formats start without it.
      org.yaml.snakeyaml.DumperOptions options = new org.yaml.snakeyaml.DumperOptions();
      options.setDefaultFlowStyle(org.yaml.snakeyaml.DumperOptions.FlowStyle.BLOCK);
      options.setDefaultScalarStyle(org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN);
      options.setSplitLines(false);
      out.print(new org.yaml.snakeyaml.Yaml(options).dump(value));
    } else {
      out.println(JsonText.write(value));
    }
    out.flush();
  }

  static void table(PrintWriter out, List<String> header, List<List<String>> rows) {
    OutputFormat.printTable(out, header, rows);
  }
}
