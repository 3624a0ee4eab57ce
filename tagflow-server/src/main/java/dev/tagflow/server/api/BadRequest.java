package dev.tagflow.server.api;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A request the API refuses, answered as {@code {error, message, field?, fix}} with its status; the
 * field names the part of the body or the path parameter that is wrong.
 */
public final class BadRequest extends RuntimeException {

  private final int status;
  private final String error;
  private final Optional<String> field;
  private final String fix;

  public BadRequest(int status, String error, String message, Optional<String> field, String fix) {
    // No stack trace: it is an answer, never logged as a failure.
    super(message, null, false, false);
    this.status = status;
    this.error = error;
    this.field = field;
    this.fix = fix;
  }

  /** A 400 naming the wrong field. */
  public static BadRequest field(String field, String message, String fix) {
    return new BadRequest(400, "invalid_request", message, Optional.of(field), fix);
  }

  public int status() {
    return status;
  }

  /** The answer's body. */
  public Map<String, String> body() {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put("message", getMessage());
    field.ifPresent(f -> body.put("field", f));
    body.put("fix", fix);
    return body;
  }

  /** Writes the answer. */
  public void answer(Context ctx) {
    ctx.status(status).json(body());
  }
}
