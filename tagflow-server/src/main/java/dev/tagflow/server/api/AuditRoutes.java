package dev.tagflow.server.api;

import dev.tagflow.server.ApiError;
import dev.tagflow.store.AuditLog;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** {@code GET /api/v1/audit?since=<instant>&limit=<n>}: the audit log, oldest first. */
public final class AuditRoutes {

  public static final String PATH = "/api/v1/audit";

  /** The most entries one answer holds. */
  static final int MAX_LIMIT = 10_000;

  private final AuditLog audit;

  public AuditRoutes(AuditLog audit) {
    this.audit = audit;
  }

  public void addTo(RouteTable table) {
    table.get(PATH, Access.needs("audit/get", ObjectOf.fixed("*")), this::list);
  }

  private void list(Context ctx) {
    Instant since = Instant.EPOCH;
    String sinceText = ctx.queryParam("since");
    if (sinceText != null) {
      try {
        since = Instant.parse(sinceText);
      } catch (DateTimeParseException e) {
        bad(ctx, "since is not a time", "write it as 2026-03-01T10:00:00Z");
        return;
      }
    }
    int limit = 1000;
    String limitText = ctx.queryParam("limit");
    if (limitText != null) {
      try {
        limit = Integer.parseInt(limitText);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        bad(ctx, "limit must be a number from 1 to " + MAX_LIMIT, "e.g. limit=100");
        return;
      }
    }
    ctx.json(audit.since(since, limit));
  }

  private static void bad(Context ctx, String message, String fix) {
    ctx.status(400).json(new ApiError("invalid_request", message, fix));
  }
}
