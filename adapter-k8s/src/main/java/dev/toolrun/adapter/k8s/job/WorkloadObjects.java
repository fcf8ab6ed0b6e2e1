package dev.toolrun.adapter.k8s.job;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.Optional;

/**
 * The Kubernetes objects of one instance: its inputs, its secrets (if it has any), its Job, and for
 * an isolated service the network policy that admits only toolrun.
 */
public record WorkloadObjects(
    ConfigMap inputs, Optional<Secret> secrets, Job job, Optional<NetworkPolicy> networkPolicy) {
  public WorkloadObjects {
    requireNonNull(inputs, "inputs is null");
    requireNonNull(secrets, "secrets is null");
    requireNonNull(job, "job is null");
    requireNonNull(networkPolicy, "networkPolicy is null");
  }

  /** How many objects there are to create. */
  public int count() {
    return 2 + (secrets.isPresent() ? 1 : 0) + (networkPolicy.isPresent() ? 1 : 0);
  }
}
