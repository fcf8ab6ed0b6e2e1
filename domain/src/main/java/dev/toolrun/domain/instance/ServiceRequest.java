package dev.toolrun.domain.instance;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.Violations;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An HTTP request to forward to a service instance.
 *
 * @param method an HTTP method in upper case
 * @param path the path and query, starting with '/', as the service should see it
 * @param headers header names (case-insensitive, kept in lower case) and their values; headers that
 *     belong to one connection, such as {@code Host} or {@code Connection}, are not forwarded
 * @param body the request body; empty for none
 */
public record ServiceRequest(
    String method, String path, Map<String, List<String>> headers, byte[] body) {
  public static final int MAX_BODY_BYTES = 8 * 1024 * 1024;
  public static final int MAX_PATH_LENGTH = 8192;
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

  /** Hop-by-hop and connection-specific headers (RFC 9110 7.6.1), and what toolrun sets itself. */
  public static final Set<String> NOT_FORWARDED =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "host",
          "content-length");

  public ServiceRequest {
    requireNonNull(method, "method is null");
    requireNonNull(path, "path is null");
    requireNonNull(headers, "headers is null");
    requireNonNull(body, "body is null");
    var violations = new Violations();
    violations.check(
        !METHODS.contains(method), "method", "must be one of " + new java.util.TreeSet<>(METHODS));
    violations.check(
        !path.startsWith("/")
            || path.length() > MAX_PATH_LENGTH
            || path.chars().anyMatch(c -> c <= ' ' || c == 127),
        "path",
        "must start with '/', be at most %d characters and contain no spaces or control characters"
            .formatted(MAX_PATH_LENGTH));
    violations.check(
        body.length > MAX_BODY_BYTES, "body", "must be at most %d bytes".formatted(MAX_BODY_BYTES));
    TreeMap<String, List<String>> kept = new TreeMap<>();
    headers.forEach(
        (name, values) -> {
          requireNonNull(name, "header name is null");
          String lower = name.toLowerCase(Locale.ROOT);
          violations.check(
              lower.isEmpty() || !lower.chars().allMatch(ServiceRequest::isTokenChar),
              "headers",
              "'%s' is not a valid header name"
                  .formatted(name.length() > 80 ? name.substring(0, 77) + "..." : name));
          for (String value : requireNonNull(values, "header values are null")) {
            violations.check(
                value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0),
                "headers." + lower,
                "must not contain line breaks");
          }
          if (!NOT_FORWARDED.contains(lower)) {
            kept.computeIfAbsent(lower, k -> new java.util.ArrayList<>()).addAll(values);
          }
        });
    violations.throwIfAny();
    kept.replaceAll((k, v) -> List.copyOf(v));
    headers = Collections.unmodifiableMap(kept);
    body = body.clone();
  }

  // RFC 9110 token characters.
  private static boolean isTokenChar(int c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }

  /** A GET of {@code path} without headers or body. */
  public static ServiceRequest get(String path) {
    return new ServiceRequest("GET", path, Map.of(), new byte[0]);
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServiceRequest r
        && method.equals(r.method)
        && path.equals(r.path)
        && headers.equals(r.headers)
        && java.util.Arrays.equals(body, r.body);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(method, path, headers, java.util.Arrays.hashCode(body));
  }

  @Override
  public String toString() {
    return "ServiceRequest[" + method + " " + path + ", " + body.length + " bytes]";
  }
}
