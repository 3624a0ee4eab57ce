package dev.tagflow.diff;

import dev.tagflow.cluster.ObjectJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Reads the YAML fixtures under {@code src/test/resources/diff}. */
final class Fixtures {

  private static final ObjectJson JSON = new ObjectJson();

  private Fixtures() {}

  static Map<String, Object> tree(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/diff/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture diff/" + name);
      }
      return JSON.readYamlTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
