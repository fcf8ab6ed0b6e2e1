package dev.toolrun.adapter.http.mapping;

import dev.toolrun.domain.error.ValidationException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Opaque page cursors: the base64url form of the repository's {@code nextAfter} key, so that
 * clients do not build cursors themselves and the key's format may change.
 */
final class Cursors {
  static final String FIELD = "cursor";

  private Cursors() {}

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
