package dev.tagflow.app;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Loads the fixtures under {@code app/}, named in messages by their path there. */
final class AppFixtures {

  private final ApplicationLoader loader = new ApplicationLoader();

  List<Application> load(String path) {
    return loader.load(path, text(path));
  }

  Application loadOne(String path) {
    List<Application> apps = load(path);
    if (apps.size() != 1) {
      throw new AssertionError(path + " holds " + apps.size() + " applications");
    }
    return apps.getFirst();
  }

  InvalidApplicationException problemsOf(String path) {
    InvalidApplicationException[] caught = new InvalidApplicationException[1];
    assertThatThrownBy(() -> load(path))
        .isInstanceOfSatisfying(InvalidApplicationException.class, e -> caught[0] = e);
    return caught[0];
  }

  /** The message of the problems in YAML text that must not load. */
  String messageFor(String fileName, String yaml) {
    String[] message = new String[1];
    assertThatThrownBy(() -> loader.load(fileName, yaml))
        .isInstanceOfSatisfying(
            InvalidApplicationException.class, e -> message[0] = e.getMessage());
    return message[0];
  }

  String text(String path) {
    try (InputStream in = AppFixtures.class.getResourceAsStream("/app/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture app/" + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
