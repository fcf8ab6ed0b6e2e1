package dev.toolrun.adapter.http.dto;

import java.util.Map;

/**
 * The body of {@code POST /v1/instances/{id}/requests}: one HTTP request for a service instance. At
 * most one of {@code body} (text, sent as UTF-8) and {@code bodyBase64} (any bytes) is given.
 */
public record ServiceRequestEnvelope(
    String method, String path, Map<String, String> headers, String body, String bodyBase64) {

  // Bodies and header values may carry credentials; they stay out of the text form.
  @Override
  public String toString() {
    return "ServiceRequestEnvelope[method=%s, path=%s, headers=%s]"
        .formatted(method, path, headers == null ? null : headers.keySet());
  }
}
