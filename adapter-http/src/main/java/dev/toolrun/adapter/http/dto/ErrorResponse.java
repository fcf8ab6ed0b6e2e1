package dev.toolrun.adapter.http.dto;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** The one body of every error response. */
public record ErrorResponse(int status, String code, String message, List<ErrorDetail> details) {
  public ErrorResponse {
    requireNonNull(code, "code is null");
    requireNonNull(message, "message is null");
    details = List.copyOf(requireNonNull(details, "details is null"));
  }

  /** One broken rule: the path of the offending field and what is wrong with it. */
  public record ErrorDetail(String field, String message) {
    public ErrorDetail {
      requireNonNull(field, "field is null");
      requireNonNull(message, "message is null");
    }
  }
}
