package dev.toolrun.adapter.k8s;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Optional;

/** The Kubernetes objects of one instance: its inputs, its secrets (if it has any) and its Job. */
record WorkloadObjects(ConfigMap inputs, Optional<Secret> secrets, Job job) {
  WorkloadObjects {
    requireNonNull(inputs, "inputs is null");
    requireNonNull(secrets, "secrets is null");
    requireNonNull(job, "job is null");
  }
}
