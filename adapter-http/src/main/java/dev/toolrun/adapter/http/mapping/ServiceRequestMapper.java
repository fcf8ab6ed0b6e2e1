package dev.toolrun.adapter.http.mapping;

import dev.toolrun.adapter.http.dto.ServiceRequestEnvelope;
import dev.toolrun.adapter.http.dto.ServiceResponseEnvelope;
import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.error.Violation;
import dev.toolrun.domain.error.Violations;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.ServiceRequest;
import dev.toolrun.domain.instance.ServiceResponse;
import dev.toolrun.ports.in.ExecuteRequestUseCase.ExecuteRequestCommand;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps the envelopes of requests forwarded to service instances: the JSON a client sends to the
 * {@link ServiceRequest} the use case takes, and the {@link ServiceResponse} it answers with back
 * to JSON.
 */
public final class ServiceRequestMapper {
  private static final String DEFAULT_METHOD = "GET";
  private static final String DEFAULT_PATH = "/";
  private static final String BODY = "body";
  private static final String BODY_BASE64 = "bodyBase64";

  private ServiceRequestMapper() {}

  /**
   * The command forwarding {@code envelope} to instance {@code id}; every violation at once, of the
   * id and the envelope alike.
   */
  public static ExecuteRequestCommand toCommand(String id, ServiceRequestEnvelope envelope) {
    var v = new Violations();
    InstanceId instanceId = v.attempt("", () -> new InstanceId(id));
    Map<String, List<String>> headers = headers(envelope.headers(), v);
    byte[] body = body(envelope, v);
    String bodyField = envelope.bodyBase64() == null ? BODY : BODY_BASE64;
    ServiceRequest request = null;
    try {
      request =
          new ServiceRequest(
              envelope.method() == null ? DEFAULT_METHOD : envelope.method(),
              envelope.path() == null ? DEFAULT_PATH : envelope.path(),
              headers,
              body == null ? new byte[0] : body);
    } catch (ValidationException e) {
      for (Violation violation : e.violations()) {
        // The domain knows one body; the envelope has two fields for it.
        v.add(violation.field().equals(BODY) ? bodyField : violation.field(), violation.message());
      }
    }
    v.throwIfAny();
    return new ExecuteRequestCommand(instanceId, request);
  }

  /**
   * The envelope of {@code response}, which took {@code took}: its body as text when it is UTF-8,
   * as base64 otherwise.
   */
  public static ServiceResponseEnvelope toResponse(ServiceResponse response, Duration took) {
    byte[] body = response.body();
    Optional<String> text = utf8(body);
    return new ServiceResponseEnvelope(
        response.status(),
        response.headers(),
        text.orElse(null),
        text.isPresent() ? null : Base64.getEncoder().encodeToString(body),
        took.toMillis());
  }

  // Header values travel as JSON text here but as octets on the wire; only visible ASCII, spaces
  // and tabs mean the same in both, and line breaks would let one header smuggle in others. Names
  // are the domain's to check.
  private static Map<String, List<String>> headers(Map<String, String> sent, Violations v) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    if (sent == null) {
      return headers;
    }
    sent.forEach(
        (name, value) -> {
          if (value == null) {
            v.add("headers." + name, "must be a string");
          } else if (!value.chars().allMatch(c -> c == '\t' || (c >= ' ' && c < 0x7f))) {
            v.add(
                "headers." + name,
                "must be a single line of visible ASCII characters, spaces and tabs");
          } else {
            headers.put(name, List.of(value));
          }
        });
    return headers;
  }

  private static byte[] body(ServiceRequestEnvelope envelope, Violations v) {
    if (envelope.body() != null && envelope.bodyBase64() != null) {
      v.add(
          BODY_BASE64,
          "cannot be given together with body: send text as body, or any bytes as bodyBase64");
      return null;
    }
    if (envelope.bodyBase64() != null) {
      try {
        return Base64.getDecoder().decode(envelope.bodyBase64());
      } catch (IllegalArgumentException e) {
        v.add(BODY_BASE64, "is not valid base64 (RFC 4648, standard alphabet, no line breaks)");
        return null;
      }
    }
    if (envelope.body() != null) {
      try {
        ByteBuffer encoded =
            StandardCharsets.UTF_8
                .newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .encode(CharBuffer.wrap(envelope.body()));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        return bytes;
      } catch (CharacterCodingException e) {
        // A lone surrogate escape such as \ud800 is valid JSON but no UTF-8 text.
        v.add(BODY, "is not valid Unicode text; send such bytes as bodyBase64");
        return null;
      }
    }
    return new byte[0];
  }

  private static Optional<String> utf8(byte[] bytes) {
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }
}
