package dev.toolrun.ports.out;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * The runtime cannot reach what it runs on (the Kubernetes API server, say), as far as it knows.
 *
 * @param reason what is unreachable and how it failed, for people: e.g. {@code the Kubernetes API
 *     server at https://10.0.0.1:6443 is unreachable: Connection refused}
 * @param since when the runtime first knew
 */
public record RuntimeOutage(String reason, Instant since) {
  public RuntimeOutage {
    requireNonNull(reason, "reason is null");
    requireNonNull(since, "since is null");
  }
}
