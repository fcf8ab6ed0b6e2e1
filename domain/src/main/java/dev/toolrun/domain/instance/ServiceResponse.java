package dev.toolrun.domain.instance;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A service instance's answer to a forwarded request.
 *
 * @param headers header names in lower case and their values, connection headers left out
 */
public record ServiceResponse(int status, Map<String, List<String>> headers, byte[] body) {
  public ServiceResponse {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("an HTTP status is between 100 and 599, not " + status);
    }
    requireNonNull(headers, "headers is null");
    requireNonNull(body, "body is null");
    TreeMap<String, List<String>> kept = new TreeMap<>();
    headers.forEach(
        (name, values) -> {
          String lower = name.toLowerCase(Locale.ROOT);
          if (!ServiceRequest.NOT_FORWARDED.contains(lower)) {
            kept.computeIfAbsent(lower, k -> new ArrayList<>()).addAll(values);
          }
        });
    kept.replaceAll((k, v) -> List.copyOf(v));
    headers = Collections.unmodifiableMap(kept);
    body = body.clone();
  }

  /** Whether the status is 2xx. */
  public boolean isSuccessful() {
    return status >= 200 && status < 300;
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServiceResponse r
        && status == r.status
        && headers.equals(r.headers)
        && Arrays.equals(body, r.body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(status, headers, Arrays.hashCode(body));
  }

  @Override
  public String toString() {
    return "ServiceResponse[" + status + ", " + body.length + " bytes]";
  }
}
