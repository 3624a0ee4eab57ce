package dev.tagflow.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM options a {@code tagflow server} process starts with, read from {@code
 * server-jvm.options} beside this class: the one file {@code ./tagflow} passes to {@code java} as
 * an argument file for the server verb, so that the demo's and the benches' servers run as a user's
 * does.
 */
public final class ServerJvmOptions {

  static final String RESOURCE = "server-jvm.options";

  private ServerJvmOptions() {}

  /** The options, in the file's order, without its comments. */
  public static List<String> read() {
    try (InputStream in = ServerJvmOptions.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            RESOURCE + " is not on the class path beside " + ServerJvmOptions.class.getName());
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /**
   * The words of an argument file as {@code java @file} reads one without quotes: # to line end.
   */
  static List<String> parse(String text) {
    List<String> options = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      int comment = line.indexOf('#');
      String words = (comment < 0 ? line : line.substring(0, comment)).strip();
      if (words.indexOf('"') >= 0 || words.indexOf('\'') >= 0) {
        // java would unquote them; this reader does not, so the file must not need it.
        throw new IllegalStateException(RESOURCE + " has a quoted option: " + words);
      }
      if (!words.isEmpty()) {
        options.addAll(List.of(words.split("\\s+")));
      }
    }
    return List.copyOf(options);
  }
}
