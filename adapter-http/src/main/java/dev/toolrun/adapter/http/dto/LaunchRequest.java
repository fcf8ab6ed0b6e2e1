package dev.toolrun.adapter.http.dto;

import java.util.Map;

/**
 * The body of {@code POST /v1/instances}.
 *
 * @param secretRef instead of {@code secrets}, the Secret in toolrun's namespace that holds them
 */
public record LaunchRequest(
    String tool,
    Integer version,
    Map<String, Object> parameters,
    Map<String, String> secrets,
    SecretRef secretRef) {

  /** A Secret of toolrun's namespace, by name. */
  public record SecretRef(String name) {}

  // Secret values must never reach a log line, so they are left out of the text form.
  @Override
  public String toString() {
    return "LaunchRequest[tool=%s, version=%s, parameters=%s, secrets=%s, secretRef=%s]"
        .formatted(tool, version, parameters, secrets == null ? null : secrets.keySet(), secretRef);
  }
}
