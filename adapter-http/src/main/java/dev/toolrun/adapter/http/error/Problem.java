package dev.toolrun.adapter.http.error;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.http.dto.ErrorResponse;
import dev.toolrun.adapter.http.dto.ErrorResponse.ErrorDetail;
import dev.toolrun.domain.error.Violation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An error about to be sent: its status, code, message, details and extra headers. */
public record Problem(
    int status, String code, String message, List<Violation> details, Map<String, String> headers) {

  public Problem {
    requireNonNull(code, "code is null");
    requireNonNull(message, "message is null");
    details = List.copyOf(requireNonNull(details, "details is null"));
    headers = Map.copyOf(requireNonNull(headers, "headers is null"));
  }

  /** A problem of the HTTP layer without details. */
  public static Problem of(HttpErrorCode code, String message) {
    return of(code.status(), code, message);
  }

  /** A problem of the HTTP layer without details, with another status than the code's own. */
  static Problem of(int status, HttpErrorCode code, String message) {
    return new Problem(status, code.name(), message, List.of(), Map.of());
  }

  /** This problem with another message. */
  public Problem withMessage(String message) {
    return new Problem(status, code, message, details, headers);
  }

  /** This problem with one more response header. */
  public Problem withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new Problem(status, code, message, details, more);
  }

  /** The response body. */
  ErrorResponse body() {
    return new ErrorResponse(
        status,
        code,
        message,
        details.stream().map(v -> new ErrorDetail(v.field(), v.message())).toList());
  }
}
