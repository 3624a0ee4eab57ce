package dev.tagflow;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of this Tagflow build, as Maven stamped it into the jar. */
public record TagflowVersion(String version) {

  public static TagflowVersion current() {
    try (InputStream in = TagflowVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return new TagflowVersion("unknown");
      }
      Properties properties = new Properties();
      properties.load(in);
      return new TagflowVersion(properties.getProperty("version", "unknown"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return version;
  }
}
