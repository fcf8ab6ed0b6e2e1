package dev.toolrun.adapter.k8s.job;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.k8s.client.ApiErrors;
import dev.toolrun.adapter.k8s.client.ApiRateLimiter;
import dev.toolrun.domain.error.RuntimeRejectedException;
import dev.toolrun.domain.error.RuntimeUnavailableException;
import dev.toolrun.domain.instance.InstanceId;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every write toolrun makes to the cluster: creating an instance's objects (adopting what a
 * previous attempt created), deleting them, stopping a kept Job. Each call takes its tokens from
 * the rate limiter first and turns fabric8's errors into toolrun's.
 */
public final class WorkloadWriter {
  private final KubernetesClient client;
  private final String namespace;
  private final ApiRateLimiter limiter;
  private final Function<String, Optional<Job>> cachedJob;
  private final Function<InstanceId, String> jobNames;

  /**
   * @param cachedJob the informer's copy of the Job with the given name, if it has one
   */
  public WorkloadWriter(
      KubernetesClient client,
      String namespace,
      ApiRateLimiter limiter,
      Function<String, Optional<Job>> cachedJob) {
    this(client, namespace, limiter, cachedJob, WorkloadLabels::objectName);
  }

  /**
   * @param jobNames the name of each instance's Job: the one named for it, or the pool Job it
   *     claimed
   */
  public WorkloadWriter(
      KubernetesClient client,
      String namespace,
      ApiRateLimiter limiter,
      Function<String, Optional<Job>> cachedJob,
      Function<InstanceId, String> jobNames) {
    this.client = requireNonNull(client, "client is null");
    this.namespace = requireNonNull(namespace, "namespace is null");
    this.limiter = requireNonNull(limiter, "limiter is null");
    this.cachedJob = requireNonNull(cachedJob, "cachedJob is null");
    this.jobNames = requireNonNull(jobNames, "jobNames is null");
  }

  /** Creates a warm pool's Job, which no instance owns yet. */
  public void createPoolJob(Job job) {
    limiter.take(1);
    try {
      client.batch().v1().jobs().inNamespace(namespace).resource(job).create();
    } catch (KubernetesClientException e) {
      throw ApiErrors.translate(e, "creating pool Job " + job.getMetadata().getName(), server());
    }
  }

  /** Deletes the Job called {@code name} and, through the garbage collector, its pods. */
  public void deleteJob(String name) {
    limiter.take(1);
    try {
      client.batch().v1().jobs().inNamespace(namespace).withName(name).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != ApiErrors.NOT_FOUND) {
        throw ApiErrors.translate(e, "deleting Job " + name, server());
      }
    }
  }

  /**
   * Creates the objects of instance {@code id}: the Job first, then its ConfigMap and Secret owned
   * by it (so deleting the Job deletes them), right after it and well before the kubelet mounts
   * them. Objects that exist already are adopted.
   */
  public void create(InstanceId id, WorkloadObjects objects) {
    limiter.take(objects.count());
    Job job = createJob(objects.job(), id);
    createOwned(JobFactory.ownedBy(objects.inputs(), job));
    objects.secrets().ifPresent(secret -> createOwned(JobFactory.ownedBy(secret, job)));
    objects.networkPolicy().ifPresent(policy -> createOwned(JobFactory.ownedBy(policy, job)));
  }

  /** Deletes the Job of {@code id}; the garbage collector takes its pods, ConfigMap and Secret. */
  public void delete(InstanceId id) {
    limiter.take(1);
    try {
      // fabric8 deletes with Background propagation: dependents go too.
      client.batch().v1().jobs().inNamespace(namespace).withName(jobNames.apply(id)).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != ApiErrors.NOT_FOUND) {
        throw ApiErrors.translate(e, "deleting the Job of instance " + id, server());
      }
    }
  }

  /**
   * Deletes the running pods of instance {@code id}; the Job controller replaces them with fresh
   * ones.
   */
  public void deletePods(InstanceId id, java.util.List<String> pods) {
    for (String pod : pods) {
      limiter.take(1);
      try {
        client.pods().inNamespace(namespace).withName(pod).delete();
      } catch (KubernetesClientException e) {
        if (e.getCode() != ApiErrors.NOT_FOUND) {
          throw ApiErrors.translate(e, "deleting pod " + pod + " of instance " + id, server());
        }
      }
    }
  }

  /**
   * Ends the pods of a Job that is kept for inspection, by shortening its deadline: the Job
   * controller kills them and the objects stay.
   */
  public void stopKept(InstanceId id) {
    limiter.take(1);
    try {
      // Through resource(...), not withName(...): fabric8 would GET the Job before patching it.
      Job named =
          new JobBuilder().withNewMetadata().withName(jobNames.apply(id)).endMetadata().build();
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace(namespace)
          .resource(named)
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"activeDeadlineSeconds\":1}}");
    } catch (KubernetesClientException e) {
      if (e.getCode() != ApiErrors.NOT_FOUND) {
        throw ApiErrors.translate(e, "stopping the Job of instance " + id, server());
      }
    }
  }

  private String server() {
    return String.valueOf(client.getMasterUrl());
  }

  private Job createJob(Job desired, InstanceId id) {
    String name = desired.getMetadata().getName();
    try {
      return client.batch().v1().jobs().inNamespace(namespace).resource(desired).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != ApiErrors.CONFLICT) {
        throw ApiErrors.translate(e, "creating Job " + name, server());
      }
      Job existing = cachedJob.apply(name).orElseGet(() -> fetchJob(name));
      if (!WorkloadLabels.instanceOf(existing.getMetadata().getLabels()).equals(Optional.of(id))) {
        throw new RuntimeRejectedException(
            RuntimeRejectedException.Kind.OTHER,
            "a Job named %s exists in namespace %s but does not belong to instance %s"
                .formatted(name, namespace, id),
            e);
      }
      return existing;
    }
  }

  private Job fetchJob(String name) {
    try {
      Job fetched = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
      if (fetched == null) {
        throw new RuntimeUnavailableException(
            "Job " + name + " existed a moment ago and is gone now; the launch is retried", null);
      }
      return fetched;
    } catch (KubernetesClientException e) {
      throw ApiErrors.translate(e, "reading Job " + name, server());
    }
  }

  private void createOwned(HasMetadata object) {
    try {
      client.resource(object).inNamespace(namespace).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != ApiErrors.CONFLICT) {
        throw ApiErrors.translate(
            e,
            "creating %s %s".formatted(object.getKind(), object.getMetadata().getName()),
            server());
      }
    }
  }
}
