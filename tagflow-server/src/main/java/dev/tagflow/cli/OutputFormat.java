package dev.tagflow.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import picocli.CommandLine.Option;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The {@code -o table|json} option of verbs that print data, and the printing itself. */
final class OutputFormat {

  /** What a verb prints. */
  enum Format {
    table,
    json
  }

  /** Jackson, set up the first time a verb prints JSON, not when a verb with -o starts. */
  private static final class Json {
    static final ObjectMapper MAPPER =
        JsonMapper.builderWithJackson2Defaults().enable(SerializationFeature.INDENT_OUTPUT).build();
  }

  @Option(
      names = {"-o", "--output"},
      paramLabel = "<format>",
      defaultValue = "table",
      description = "table or json (default: ${DEFAULT-VALUE}).")
  Format format;

  boolean json() {
    return format == Format.json;
  }

  void printJson(PrintWriter out, Object value) {
    try {
      out.println(Json.MAPPER.writeValueAsString(value));
    } catch (JacksonException e) { // an IOException in Jackson 2, reported as one
      throw new UncheckedIOException(new IOException(e.getMessage(), e));
    }
  }

  /** Prints rows in columns as wide as their widest cell, the header first. */
  static void printTable(PrintWriter out, List<String> header, List<List<String>> rows) {
    int[] widths = new int[header.size()];
    for (List<String> row : concat(header, rows)) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : concat(header, rows)) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(
            i == row.size() - 1 ? row.get(i) : String.format("%-" + widths[i] + "s  ", row.get(i)));
      }
      out.println(line.toString().stripTrailing());
    }
  }

  private static List<List<String>> concat(List<String> header, List<List<String>> rows) {
    List<List<String>> all = new java.util.ArrayList<>();
    all.add(header);
    all.addAll(rows);
    return all;
  }
}
