package dev.tagflow.server;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.exception.HttpResponseExceptionMapper;

/**
 * The refusals Javalin makes itself (no route for the path, a method the path does not take, a body
 * over the size limit), answered under {@code /api/} as every other API refusal is: {@code {error,
 * message, fix}} in JSON. Elsewhere (the web UI, Git) Javalin answers them as it does.
 */
final class HttpRefusals {

  private final long maxBodyBytes;

  HttpRefusals(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  void answer(HttpResponseException refused, Context ctx) {
    if (!ctx.path().startsWith("/api/")) {
      HttpResponseExceptionMapper.INSTANCE.handle(refused, ctx);
      return;
    }
    ctx.status(refused.getStatus()).json(error(refused.getStatus(), ctx));
  }

  private ApiError error(int status, Context ctx) {
    return switch (status) {
      case 404 ->
          new ApiError(
              "not_found",
              "no route of the API is " + ctx.method() + " " + shown(ctx.path()),
              "see /api/v1/openapi.json for the API's routes");
      case 405 ->
          new ApiError(
              "method_not_allowed",
              shown(ctx.path()) + " does not take " + ctx.method(),
              "see /api/v1/openapi.json for the methods each route takes");
      case 413 ->
          new ApiError(
              "body_too_large",
              "the body is larger than " + maxBodyBytes / 1024 + " KiB",
              "send a smaller body; the API's bodies are small JSON objects");
      default ->
          new ApiError(
              "http_" + status,
              "the request was refused before it reached a route (" + status + ")",
              "see /api/v1/openapi.json for what the API takes");
    };
  }

  /** The path as an answer shows it: a path can be kilobytes long. */
  private static String shown(String path) {
    return path.length() <= 200 ? path : path.substring(0, 200) + "…";
  }
}
