package dev.toolrun.adapter.mcp.transport;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;

/**
 * Refuses a message body that parsers disagree on, as the REST API does, before the SDK reads it:
 * bytes that are not strictly UTF-8 (an overlong form such as {@code C0 AE}, an encoded surrogate
 * such as {@code ED A0 80}), a string holding a lone surrogate escape ({@code "\ud800"}), and an
 * object with a member twice ({@code {"method":"a","method":"b"}}, which one parser reads as {@code
 * a} and another as {@code b}). A lenient decoder would turn the first into other text silently and
 * Jackson's default keeps the last of the two.
 */
final class StrictBody {
  private static final JsonFactory FACTORY =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private StrictBody() {}

  /** Why a body was refused; the message is said to the client. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  /**
   * The text of {@code body}, checked.
   *
   * @throws Refused when it is not strictly UTF-8, not JSON, has a member twice in one object, or a
   *     string or member name with a lone surrogate
   */
  static String text(byte[] body) throws Refused {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body))
              .toString();
    } catch (CharacterCodingException e) {
      throw new Refused("the body is not valid UTF-8");
    }
    try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), text)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token == JsonToken.PROPERTY_NAME) {
          checkSurrogates(parser.currentName());
        } else if (token == JsonToken.VALUE_STRING) {
          checkSurrogates(parser.getString());
        }
      }
    } catch (StreamConstraintsException beyondLimits) {
      // Too deep or too long: the SDK's own parse refuses it with the same error.
    } catch (JacksonException e) {
      // Jackson names a duplicate member ("Duplicate Object property \"method\""); only its first
      // line is said, without the source excerpt Jackson appends.
      String message = e.getOriginalMessage();
      throw new Refused(
          message == null
              ? "the body is not valid JSON"
              : message.lines().findFirst().orElse(message));
    }
    return text;
  }

  private static void checkSurrogates(String text) throws Refused {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new Refused(
            "a string holds a lone surrogate (\\u%04x), which is not Unicode text"
                .formatted((int) c));
      }
    }
  }
}
