package dev.tagflow.server;

import dev.tagflow.PlainJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import tools.jackson.core.JacksonException;

/**
 * Jetty's own refusals, made before any route runs (a path that is not valid UTF-8, holds a NUL or
 * is ambiguous, a request line or URI too long), answered as the API's {@code {error, message,
 * fix}} in JSON rather than Jetty's HTML page (or no body at all, for a DELETE): under {@code
 * /api/}, and for a request Jetty could not read whole (no path to tell by). The web UI's and Git's
 * paths keep Jetty's page for the others. Jetty refuses at two levels, each with its handler: the
 * server ({@link ApiErrorPages}) and the servlet context Javalin runs in ({@link InContext}).
 */
final class ApiErrorPages extends ErrorHandler {

  @Override
  public boolean errorPageForMethod(String method) {
    // Jetty writes a body only for GET, POST and HEAD; an API client of a DELETE or PUT needs one.
    return true;
  }

  @Override
  protected boolean generateAcceptableResponse(
      Request request,
      Response response,
      Callback done,
      String contentType,
      List<Charset> charsets,
      int code,
      String message,
      Throwable cause)
      throws IOException {
    return writeJson(request, response, done, code, message)
        || super.generateAcceptableResponse(
            request, response, done, contentType, charsets, code, message, cause);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    return ByteBuffer.wrap(body(status, reason));
  }

  /**
   * The same in the servlet context, where a path with a NUL or an ambiguous segment is refused.
   */
  static final class InContext extends org.eclipse.jetty.ee10.servlet.ErrorHandler {

    @Override
    public boolean errorPageForMethod(String method) {
      return true;
    }

    @Override
    protected boolean generateAcceptableResponse(
        Request request,
        Response response,
        Callback done,
        String contentType,
        List<Charset> charsets,
        int code,
        String message,
        Throwable cause)
        throws IOException {
      return writeJson(request, response, done, code, message)
          || super.generateAcceptableResponse(
              request, response, done, contentType, charsets, code, message, cause);
    }
  }

  /** Writes the JSON refusal when the request is the API's; whether it did. */
  private static boolean writeJson(
      Request request, Response response, Callback done, int code, String message) {
    String path = request.getHttpURI().getPath();
    // A request Jetty could not read whole or parse: its path is unknown (Jetty names it
    // /badMessage), so it cannot tell a page's request from the API's.
    boolean unread =
        code == HttpStatus.URI_TOO_LONG_414
            || code == 431
            || (path != null && path.equalsIgnoreCase("/badMessage"));
    if (!unread && (path == null || !path.startsWith("/api/"))) {
      return false;
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    if (unread) {
      // Jetty closes such a connection after the answer; saying so keeps a client from sending
      // its next request on it (Jetty's own page said it, this answer replaces that page).
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
    response.write(true, ByteBuffer.wrap(body(code, message)), done);
    return true;
  }

  private static byte[] body(int status, String reason) {
    String why = reason == null || reason.isBlank() ? HttpStatus.getMessage(status) : reason;
    ApiError error =
        new ApiError(
            status == HttpStatus.URI_TOO_LONG_414 ? "uri_too_long" : "bad_request",
            "the request could not be read: " + (why.length() <= 200 ? why : why.substring(0, 200)),
            "send a shorter path and query, encoded as UTF-8 without NUL or encoded '/' and '..'"
                + " (see /api/v1/openapi.json)");
    try {
      return PlainJson.MAPPER.writeValueAsBytes(error);
    } catch (JacksonException e) {
      throw new IllegalStateException("an ApiError always writes", e);
    }
  }
}
