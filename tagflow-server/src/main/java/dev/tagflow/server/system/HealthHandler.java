package dev.tagflow.server.system;

import dev.tagflow.TagflowVersion;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/** {@code GET /healthz}: answers 200 while the server can serve requests. */
public final class HealthHandler implements Handler {

  /**
   * The health answer.
   *
   * @param status always {@code ok}: a server that cannot answer is unhealthy by not answering
   * @param version Tagflow's version
   */
  public record Health(String status, String version) {}

  @Override
  public void handle(Context ctx) {
    ctx.json(new Health("ok", TagflowVersion.current().version()));
  }
}
