package dev.tagflow.server.system;

import dev.tagflow.TagflowVersion;
import dev.tagflow.server.config.SettingsStatus;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /healthz}: answers 200 while the server can serve requests, with the state of its
 * settings file, so that a bad edit of it is seen where operators look.
 */
public final class HealthHandler implements Handler {

  /**
   * The health answer.
   *
   * @param status always {@code ok}: a server that cannot answer is unhealthy by not answering, and
   *     one running on its last good settings still serves
   * @param version Tagflow's version
   * @param config the settings file's state; null when the server runs from flags alone
   */
  public record Health(String status, String version, Config config) {}

  /**
   * The settings file's state, as {@link SettingsStatus} says it.
   *
   * @param loadedAt ISO-8601
   * @param error null when the running settings are the file's
   */
  public record Config(
      String file, String loadedAt, long generation, String error, List<String> restartNeeded) {}

  private final Supplier<Optional<SettingsStatus>> settings;

  /**
   * @param settings the settings file's state, read at each request
   */
  public HealthHandler(Supplier<Optional<SettingsStatus>> settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  public void handle(Context ctx) {
    Config config =
        settings
            .get()
            .map(
                s ->
                    new Config(
                        s.file().toString(),
                        s.loadedAt().toString(),
                        s.generation(),
                        s.error().orElse(null),
                        s.restartNeeded()))
            .orElse(null);
    ctx.json(new Health("ok", TagflowVersion.current().version(), config));
  }
}
