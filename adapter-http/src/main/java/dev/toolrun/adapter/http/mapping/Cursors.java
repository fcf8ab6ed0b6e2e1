package dev.toolrun.adapter.http.mapping;

import dev.toolrun.adapter.http.dto.PageResponse;
import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.error.Violations;
import dev.toolrun.ports.out.Page;
import dev.toolrun.ports.out.PageRequest;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Opaque page cursors: the base64url form of the repository's {@code nextAfter} key, so that
 * clients do not build cursors themselves and the key's format may change; and the page requests
 * and responses that carry them.
 */
final class Cursors {
  static final String FIELD = "cursor";

  private Cursors() {}

  /**
   * The request for up to {@code limit} items (the default when absent) after the key in {@code
   * cursor}, which {@code check} checks as {@link #decode} does; null, with the violations recorded
   * in {@code v}, when either is invalid.
   */
  static PageRequest pageRequest(
      Optional<Integer> limit, Optional<String> cursor, Consumer<String> check, Violations v) {
    Optional<String> after = v.attempt("", () -> decode(cursor, check));
    PageRequest page =
        v.attempt(
            "", () -> new PageRequest(Optional.empty(), limit.orElse(PageRequest.DEFAULT_LIMIT)));
    return after == null || page == null ? null : new PageRequest(after, page.limit());
  }

  /** The JSON form of {@code page}, each item mapped by {@code item}, with the next cursor. */
  static <T, R> PageResponse<R> pageResponse(Page<T> page, Function<T, R> item) {
    return new PageResponse<>(
        page.items().stream().map(item).toList(),
        page.nextAfter().map(Cursors::encode).orElse(null));
  }

  /** The cursor of the page after {@code key}. */
  static String encode(String key) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(key.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The key inside {@code cursor}, checked by {@code check} (which throws a {@link
   * ValidationException} for a key that cannot come from this listing).
   *
   * @throws ValidationException when the cursor was not made by {@link #encode}
   */
  static Optional<String> decode(Optional<String> cursor, Consumer<String> check) {
    if (cursor.isEmpty()) {
      return Optional.empty();
    }
    String key;
    try {
      byte[] bytes = Base64.getUrlDecoder().decode(cursor.get());
      key =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
      check.accept(key);
    } catch (IllegalArgumentException | CharacterCodingException | ValidationException e) {
      throw ValidationException.of(
          FIELD, "is not a cursor this listing returned; use nextCursor as it is");
    }
    if (key.isEmpty()) {
      throw ValidationException.of(
          FIELD, "is not a cursor this listing returned; use nextCursor as it is");
    }
    return Optional.of(key);
  }
}
