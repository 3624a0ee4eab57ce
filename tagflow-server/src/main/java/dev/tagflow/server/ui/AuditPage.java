package dev.tagflow.server.ui;

import dev.tagflow.server.api.Access;
import dev.tagflow.server.api.ObjectOf;
import dev.tagflow.server.api.RouteTable;
import dev.tagflow.store.AuditEntry;
import dev.tagflow.store.AuditLog;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The audit log, newest first, filtered by who and what (parts of the actor and action), paged. */
final class AuditPage {

  static final String PATH = "/ui/audit";

  /** Entries shown on one page. */
  static final int PAGE_SIZE = 50;

  /** The newest entries searched by a filter. */
  static final int SEARCHED = 10_000;

  /** The longest filter text taken. */
  static final int MAX_FILTER_CHARS = 100;

  private final PageFrame frame;
  private final AuditLog audit;

  AuditPage(PageFrame frame, AuditLog audit) {
    this.frame = frame;
    this.audit = audit;
  }

  void addTo(RouteTable table) {
    table.get(PATH, Access.needs("audit/get", ObjectOf.fixed("*")), this::page);
  }

  private void page(Context ctx) {
    String who = filter(ctx, "who");
    String what = filter(ctx, "what");
    int page = Paging.page(ctx);
    List<AuditEntry> matching = new ArrayList<>(audit.since(Instant.EPOCH, SEARCHED));
    java.util.Collections.reverse(matching);
    matching.removeIf(
        e ->
            !contains(e.actor(), who)
                || !(contains(e.action(), what) || contains(e.object(), what)));
    Map<String, Object> params = frame.params(ctx);
    params.put("entries", Paging.slice(matching, page, PAGE_SIZE));
    params.put("who", who);
    params.put("what", what);
    params.put("page", page);
    params.put("more", matching.size() > (page + 1) * PAGE_SIZE);
    params.put("total", matching.size());
    params.put(
        "query",
        "who="
            + URLEncoder.encode(who, StandardCharsets.UTF_8)
            + "&what="
            + URLEncoder.encode(what, StandardCharsets.UTF_8));
    frame.page(ctx, "audit.jte", params);
  }

  private static String filter(Context ctx, String name) {
    String text = Optional.ofNullable(ctx.queryParam(name)).orElse("").strip();
    return text.length() > MAX_FILTER_CHARS ? text.substring(0, MAX_FILTER_CHARS) : text;
  }

  private static boolean contains(String text, String part) {
    return part.isEmpty() || text.toLowerCase(Locale.ROOT).contains(part.toLowerCase(Locale.ROOT));
  }
}
