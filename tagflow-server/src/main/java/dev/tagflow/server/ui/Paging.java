package dev.tagflow.server.ui;

import io.javalin.http.Context;
import java.util.List;

/** The {@code page} query parameter of a listing: 0 for the first page, bounded. */
final class Paging {

  /** The last page a listing goes to: past it, filters narrow the list instead. */
  static final int MAX_PAGE = 200;

  private Paging() {}

  /** The page asked for; a missing, malformed or out-of-range one is the nearest valid page. */
  static int page(Context ctx) {
    String text = ctx.queryParam("page");
    if (text == null || !text.matches("[0-9]{1,4}")) {
      return 0;
    }
    return Math.min(Integer.parseInt(text), MAX_PAGE);
  }

  /** The items of one page. */
  static <T> List<T> slice(List<T> all, int page, int size) {
    int from = Math.min(all.size(), page * size);
    return all.subList(from, Math.min(all.size(), from + size));
  }
}
