package dev.toolrun.adapter.mcp.transport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code tools/list} in pages with cursors, which the SDK's own handler does not do: it answers
 * every tool at once. A page holds at most {@link #PAGE_SIZE} tools, in the order of their names;
 * the cursor is opaque to clients (the name of the last tool of the page before), so a tool
 * registered or deleted between two pages neither repeats nor hides another.
 */
final class ToolPages {
  static final int PAGE_SIZE = 100;
  private static final String PREFIX = "after:";

  private ToolPages() {}

  /** A cursor that cannot be read. */
  static final class InvalidCursorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidCursorException(String message) {
      super(message);
    }
  }

  /**
   * The page of {@code result} (a {@code tools/list} result as JSON values) that {@code params}
   * (the request's, with an optional {@code cursor}) asks for, with {@code nextCursor} when more
   * follow.
   *
   * @throws InvalidCursorException when the cursor is not one this server gave
   */
  static Map<String, Object> page(Map<String, Object> result, Object params) {
    Optional<String> after = cursor(params).map(ToolPages::decode);
    List<Map<String, Object>> tools = new ArrayList<>();
    Object listed = result.get("tools");
    if (listed instanceof List<?> all) {
      for (Object tool : all) {
        if (tool instanceof Map<?, ?> map) {
          @SuppressWarnings("unchecked")
          Map<String, Object> typed = (Map<String, Object>) map;
          tools.add(typed);
        }
      }
    }
    tools.sort(Comparator.comparing(tool -> String.valueOf(tool.get("name"))));
    List<Map<String, Object>> rest =
        after
            .map(
                name ->
                    tools.stream()
                        .filter(tool -> String.valueOf(tool.get("name")).compareTo(name) > 0)
                        .toList())
            .orElse(tools);
    Map<String, Object> page = new LinkedHashMap<>(result);
    page.remove("nextCursor");
    page.put("tools", rest.subList(0, Math.min(PAGE_SIZE, rest.size())));
    if (rest.size() > PAGE_SIZE) {
      page.put("nextCursor", encode(String.valueOf(rest.get(PAGE_SIZE - 1).get("name"))));
    }
    return page;
  }

  private static Optional<String> cursor(Object params) {
    if (params instanceof Map<?, ?> map && map.get("cursor") instanceof String cursor) {
      return Optional.of(cursor);
    }
    return Optional.empty();
  }

  private static String encode(String lastName) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((PREFIX + lastName).getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String cursor) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (text.startsWith(PREFIX)) {
        return text.substring(PREFIX.length());
      }
    } catch (IllegalArgumentException notBase64) {
      // Answered below, like any other cursor this server did not give.
    }
    throw new InvalidCursorException("invalid cursor: not one this server gave for tools/list");
  }
}
