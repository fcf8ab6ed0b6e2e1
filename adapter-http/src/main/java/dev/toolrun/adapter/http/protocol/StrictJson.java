package dev.toolrun.adapter.http.protocol;

import dev.toolrun.adapter.http.JsonLimits;
import dev.toolrun.adapter.http.error.HttpErrorCode;
import dev.toolrun.adapter.http.error.Problem;
import dev.toolrun.adapter.http.error.ProblemException;
import dev.toolrun.domain.error.ValidationException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;

/**
 * Refuses a JSON body that parsers disagree on, before the contract validator or the mapper reads
 * it: bytes that are not strictly UTF-8 (an overlong form such as {@code C0 AE}, an encoded
 * surrogate such as {@code ED A0 80}), a string holding a lone surrogate escape ({@code "\ud800"}),
 * and an object with a field twice ({@code {"tool":"a","tool":"b"}}, which one parser reads as
 * {@code a} and another as {@code b}).
 *
 * <p>JSON that is not well-formed is refused too, and so is a body beyond the server's {@link
 * JsonLimits}: more tokens (413), since parsing and holding a million empty arrays costs many times
 * their bytes, or deeper nesting (400). JSON beyond the reader's other limits (number or text
 * length) is left to the mapper, which names the field.
 */
public final class StrictJson {
  // One level beyond the deepest limit allowed, so that the limit is always met here first, with
  // an answer that names it, and never as the reader's own exception.
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder().maxNestingDepth(JsonLimits.MAX_DEPTH + 1).build())
          .build();
  private static final int MAX_ECHOED_NAME = 100;

  private StrictJson() {}

  /**
   * Checks {@code body}.
   *
   * @param limits how many tokens (values, field names, brackets) it may hold, how deep it may nest
   * @throws ProblemException when it is not strictly UTF-8 or not JSON, or holds more tokens than
   *     the limit (413)
   * @throws ValidationException naming the field that an object has twice, or whose text holds a
   *     lone surrogate, or the top-level field under which the body nests deeper than the limit
   */
  public static void check(byte[] body, JsonLimits limits) {
    checkUtf8(body);
    int maxTokens = limits.maxTokens();
    Deque<Set<String>> objects = new ArrayDeque<>();
    int tokens = 0;
    try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), body)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token.isStructStart()
            && parser.streamReadContext().getNestingDepth() > limits.maxDepth()) {
          // Named by its top-level field: the full path of a value 500 levels deep is as long.
          throw ValidationException.of(
              topLevelField(parser.streamReadContext()),
              ("nests deeper than %d levels of arrays and objects; the server's"
                      + " http.max-json-depth sets the limit")
                  .formatted(limits.maxDepth()));
        }
        if (++tokens > maxTokens) {
          throw new ProblemException(
              Problem.of(
                  HttpErrorCode.PAYLOAD_TOO_LARGE,
                  ("the request body holds more than %d JSON tokens (values, field names and"
                          + " brackets); the server's http.max-json-tokens sets the limit")
                      .formatted(maxTokens)));
        }
        switch (token) {
          case START_OBJECT -> objects.push(new HashSet<>());
          case END_OBJECT -> objects.pop();
          case PROPERTY_NAME -> {
            String name = parser.currentName();
            checkSurrogates(parser, name);
            if (!objects.peek().add(name)) {
              throw ValidationException.of(
                  path(parser.streamReadContext()),
                  "is given more than once; a field may appear only once in an object");
            }
          }
          case VALUE_STRING -> checkSurrogates(parser, parser.getString());
          default -> {
            // Numbers, booleans, null and arrays hold no text of their own.
          }
        }
      }
    } catch (StreamConstraintsException beyondLimits) {
      // The mapper names the field that is too deep or too long.
    } catch (JacksonException notWellFormed) {
      // Among them a lone surrogate escape in a field name, which Jackson refuses itself, while
      // the contract validator's parser would accept it.
      TokenStreamLocation at = notWellFormed.getLocation();
      throw new ProblemException(
          Problem.of(
              HttpErrorCode.MALFORMED_REQUEST,
              "the request body is not valid JSON"
                  + (at == null ? "" : " (at byte %d)".formatted(at.getByteOffset()))));
    }
  }

  private static void checkUtf8(byte[] body) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(body);
    CharBuffer out = CharBuffer.allocate(4096);
    while (true) {
      CoderResult result = decoder.decode(in, out, true);
      if (result.isError()) {
        throw new ProblemException(
            Problem.of(
                HttpErrorCode.MALFORMED_REQUEST,
                "the request body is not valid UTF-8 (at byte %d)".formatted(in.position())));
      }
      if (result.isUnderflow()) {
        return;
      }
      out.clear();
    }
  }

  private static void checkSurrogates(JsonParser parser, String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw ValidationException.of(
            path(parser.streamReadContext()),
            "holds a lone surrogate (\\u%04x), which is not Unicode text".formatted((int) c));
      }
    }
  }

  // The field of the body's top-level object that holds the context, or the body itself.
  private static String topLevelField(TokenStreamContext context) {
    TokenStreamContext top = context;
    while (top.getParent() != null && !top.getParent().inRoot()) {
      top = top.getParent();
    }
    if (top == context || !top.inObject() || top.currentName() == null) {
      return "body";
    }
    String name = top.currentName();
    return name.length() <= MAX_ECHOED_NAME ? name : name.substring(0, MAX_ECHOED_NAME) + "...";
  }

  // The field's path as the API's errors name fields: spec.env[2].name, or body at the top.
  private static String path(TokenStreamContext context) {
    Deque<String> segments = new ArrayDeque<>();
    for (TokenStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
      if (at.inObject() && at.currentName() != null) {
        String name = at.currentName();
        segments.push(
            name.length() <= MAX_ECHOED_NAME ? name : name.substring(0, MAX_ECHOED_NAME) + "...");
      } else if (at.inArray()) {
        segments.push("[" + Math.max(0, at.getCurrentIndex()) + "]");
      }
    }
    StringBuilder path = new StringBuilder();
    for (String segment : segments) {
      if (path.length() > 0 && !segment.startsWith("[")) {
        path.append('.');
      }
      path.append(segment);
    }
    return path.length() == 0 ? "body" : path.toString();
  }
}
