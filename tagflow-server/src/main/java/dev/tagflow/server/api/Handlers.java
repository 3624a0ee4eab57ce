package dev.tagflow.server.api;

import dev.tagflow.TagflowException;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Optional;
import java.util.regex.Pattern;

/** What the resource routes share: refusals as answers, page sizes, ids and not-found answers. */
final class Handlers {

  /**
   * An id or name taken from a path: no {@code /}, no leading dot, so it can never name a file
   * outside what the store gives (the store is asked, never the file system).
   */
  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");

  private Handlers() {}

  /** The handler, its {@link BadRequest}s answered with their status and body. */
  static Handler answered(Handler handler) {
    return ctx -> {
      try {
        handler.handle(ctx);
      } catch (BadRequest refused) {
        refused.answer(ctx);
      }
    };
  }

  /** A query parameter that is a number from 1 to {@code max}, or {@code fallback} when absent. */
  static int limit(Context ctx, String param, int fallback, int max) {
    String text = ctx.queryParam(param);
    if (text == null) {
      return fallback;
    }
    int value;
    try {
      value = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      value = -1;
    }
    if (value < 1 || value > max) {
      throw BadRequest.field(
          param, param + " must be a number from 1 to " + max, "e.g. " + param + "=50");
    }
    return value;
  }

  /** The path parameter, refused (400 naming it) unless it is an {@link #ID}. */
  static String id(Context ctx, String param, String what) {
    String value = ctx.pathParam(param);
    if (!ID.matcher(value).matches()) {
      throw BadRequest.field(
          param,
          "'" + shorten(value) + "' is not " + what,
          "use letters, digits, '.', '_', '@' and '-' (at most 128), as the list shows it");
    }
    return value;
  }

  static BadRequest notFound(String message, String field, String fix) {
    return new BadRequest(404, "not_found", message, Optional.of(field), fix);
  }

  /**
   * What the engine refused: the caller's mistake (400) or a state that does not allow it now
   * (409).
   */
  static BadRequest refused(TagflowException refused, String fix) {
    return refused.reason() == TagflowException.Reason.INVALID_INPUT
        ? new BadRequest(400, "invalid_request", refused.getMessage(), Optional.empty(), fix)
        : new BadRequest(409, "conflict", refused.getMessage(), Optional.empty(), fix);
  }

  static String shorten(String text) {
    return text.length() <= 64 ? text : text.substring(0, 64) + "…";
  }
}
