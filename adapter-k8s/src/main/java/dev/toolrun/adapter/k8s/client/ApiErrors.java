package dev.toolrun.adapter.k8s.client;

import dev.toolrun.domain.error.RuntimeRejectedException;
import dev.toolrun.domain.error.RuntimeRejectedException.Kind;
import dev.toolrun.domain.error.RuntimeUnavailableException;
import dev.toolrun.domain.error.ToolrunException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns what the fabric8 client throws into toolrun's errors, with a message an operator can act
 * on: nothing from fabric8 crosses the port.
 */
public final class ApiErrors {
  public static final int NOT_FOUND = 404;
  public static final int CONFLICT = 409;

  private ApiErrors() {}

  /**
   * The toolrun error for {@code e}, which happened while toolrun was {@code doing} something with
   * the API server at {@code server}.
   */
  public static ToolrunException translate(
      KubernetesClientException e, String doing, String server) {
    int code = e.getCode();
    String serverMessage =
        Optional.ofNullable(e.getStatus())
            .map(s -> s.getMessage())
            .filter(m -> !m.isBlank())
            .orElse(e.getMessage());
    // fabric8 reports connection failures and timeouts without an HTTP status (code 0 or -1).
    if (code <= 0 || code == 429 || code >= 500) {
      return new RuntimeUnavailableException(
          "the Kubernetes API server at %s could not be reached or was not able to answer while %s (%s)"
              .formatted(
                  server, doing, code <= 0 ? rootCause(e) : "HTTP " + code + ": " + serverMessage),
          e);
    }
    if (code == 401) {
      return new RuntimeRejectedException(
          Kind.FORBIDDEN,
          "the Kubernetes API server did not accept toolrun's credentials while %s: check the kubeconfig or service account token"
              .formatted(doing),
          e);
    }
    if (code == 403) {
      boolean quota = serverMessage.toLowerCase(Locale.ROOT).contains("exceeded quota");
      return new RuntimeRejectedException(
          quota ? Kind.QUOTA_EXCEEDED : Kind.FORBIDDEN,
          quota
              ? "a resource quota refused the workload while %s: %s".formatted(doing, serverMessage)
              : "toolrun is not allowed to do this while %s: %s (grant it with the Role in deploy/)"
                  .formatted(doing, serverMessage),
          e);
    }
    if (code == 400 || code == 422) {
      return new RuntimeRejectedException(
          Kind.INVALID_OBJECT,
          "Kubernetes refused the object while %s: %s".formatted(doing, serverMessage),
          e);
    }
    return new RuntimeRejectedException(
        Kind.OTHER,
        "Kubernetes answered HTTP %d while %s: %s".formatted(code, doing, serverMessage),
        e);
  }

  private static String rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName()
        + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }
}
