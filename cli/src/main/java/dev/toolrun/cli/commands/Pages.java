package dev.toolrun.cli.commands;

import dev.toolrun.cli.http.ToolrunClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/** Walks the pages of a list ({@code items} and {@code nextCursor}) up to a number of items. */
final class Pages {
  private static final int MAX_PAGE = 500;

  private Pages() {}

  /**
   * Hands each item of {@code path}'s pages, queried with {@code query}, to {@code each}, until
   * {@code max} items (no limit when {@code max} is 0) or the last page; returns how many there
   * were.
   */
  static int each(
      ToolrunClient client,
      String path,
      Map<String, String> query,
      int max,
      Consumer<JsonNode> each) {
    int seen = 0;
    String cursor = null;
    do {
      Map<String, String> page = new LinkedHashMap<>(query);
      int wanted = max == 0 ? MAX_PAGE : Math.min(MAX_PAGE, max - seen);
      page.put("limit", Integer.toString(wanted));
      if (cursor != null) {
        page.put("cursor", cursor);
      }
      JsonNode answer = client.get(ToolrunClient.withQuery(path, page)).body();
      for (JsonNode item : answer.path("items")) {
        each.accept(item);
        seen++;
      }
      cursor = answer.path("nextCursor").isString() ? answer.path("nextCursor").asString() : null;
    } while (cursor != null && (max == 0 || seen < max));
    return seen;
  }
}
