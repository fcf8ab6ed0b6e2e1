package dev.toolrun.adapter.k8s.run;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.k8s.client.Informers;
import dev.toolrun.adapter.k8s.client.KubernetesCluster;
import dev.toolrun.adapter.k8s.job.WorkloadLabels;
import dev.toolrun.domain.instance.InstanceId;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What toolrun knows of its Jobs and pods in its namespace: two informers filtered by toolrun's
 * label keep the copies up to date by watching, so reading them sends no request.
 */
public final class WorkloadCache implements AutoCloseable {
  private static final String BY_INSTANCE = "instance";
  private static final String BY_JOB = "job";
  private static final String BY_POOL = "pool";

  /** The label the Job controller puts on the pods of a Job, naming it. */
  private static final String JOB_NAME_LABEL = "job-name";

  private final KubernetesCluster cluster;
  private volatile SharedIndexInformer<Job> jobs;
  private volatile SharedIndexInformer<Pod> pods;
  private volatile Runnable poolPodChanged = () -> {};

  public WorkloadCache(KubernetesCluster cluster) {
    this.cluster = requireNonNull(cluster, "cluster is null");
  }

  /**
   * Starts watching and waits until both informers have listed what exists; from then on {@code
   * changed} is told, on an informer thread, of every instance whose Job or pod appears, changes or
   * goes.
   *
   * @throws dev.toolrun.domain.error.RuntimeRejectedException when toolrun may not list them
   * @throws dev.toolrun.domain.error.RuntimeUnavailableException when the API server cannot be
   *     reached in time
   */
  void start(Consumer<InstanceId> changed) {
    ResourceEventHandler<HasMetadata> onChange =
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(HasMetadata obj) {
            tell(obj);
          }

          @Override
          public void onUpdate(HasMetadata oldObj, HasMetadata newObj) {
            tell(newObj);
          }

          @Override
          public void onDelete(HasMetadata obj, boolean deletedFinalStateUnknown) {
            tell(obj);
          }

          private void tell(HasMetadata obj) {
            WorkloadLabels.instanceOf(obj.getMetadata().getLabels()).ifPresent(changed);
            if (obj instanceof Pod
                && WorkloadLabels.waitingPool(obj.getMetadata().getLabels()).isPresent()) {
              poolPodChanged.run();
            }
          }
        };
    SharedIndexInformer<Pod> podInformer =
        cluster
            .client()
            .pods()
            .inNamespace(cluster.namespace())
            .withLabels(WorkloadLabels.SELECTOR)
            .withLimit(Informers.LIST_PAGE)
            .runnableInformer(0);
    podInformer.addIndexers(
        Map.of(
            BY_INSTANCE,
            WorkloadCache::instanceIndex,
            BY_JOB,
            pod ->
                Optional.ofNullable(pod.getMetadata().getLabels())
                    .map(l -> l.get(JOB_NAME_LABEL))
                    .map(List::of)
                    .orElse(List.of())));
    podInformer.addEventHandler(onChange);
    // Keep watching through outages: the informer relists after a 410 or a dropped watch.
    podInformer.exceptionHandler(Informers::retry);
    SharedIndexInformer<Job> jobInformer =
        cluster
            .client()
            .batch()
            .v1()
            .jobs()
            .inNamespace(cluster.namespace())
            .withLabels(WorkloadLabels.SELECTOR)
            .withLimit(Informers.LIST_PAGE)
            .runnableInformer(0);
    // A claimed pool Job is not named for its instance: Jobs are found by their instance label.
    jobInformer.addIndexers(
        Map.of(
            BY_INSTANCE,
            WorkloadCache::instanceIndex,
            BY_POOL,
            job ->
                WorkloadLabels.waitingPool(job.getMetadata().getLabels())
                    .map(List::of)
                    .orElse(List.of())));
    jobInformer.addEventHandler(onChange);
    jobInformer.exceptionHandler(Informers::retry);
    this.pods = podInformer;
    this.jobs = jobInformer;
    Informers.start(
        cluster,
        "listing Jobs and pods in namespace " + cluster.namespace(),
        List.of(podInformer, jobInformer));
  }

  /**
   * Tells {@code changed}, on an informer thread, whenever a waiting pool pod appears, changes or
   * goes (it must return quickly).
   */
  public void onPoolPodChange(Runnable changed) {
    this.poolPodChanged = requireNonNull(changed, "changed is null");
  }

  private static List<String> instanceIndex(HasMetadata object) {
    return WorkloadLabels.instanceOf(object.getMetadata().getLabels())
        .map(id -> List.of(id.value()))
        .orElse(List.of());
  }

  /**
   * The Job of instance {@code id}: the one made for it, or the pool Job it claimed. Should both be
   * there for a moment, the one made for it.
   */
  public Optional<Job> job(InstanceId id) {
    SharedIndexInformer<Job> informer = jobs;
    if (informer == null) {
      return Optional.empty();
    }
    List<Job> labelled = informer.getIndexer().byIndex(BY_INSTANCE, id.value());
    String own = WorkloadLabels.objectName(id);
    return labelled.stream()
        .filter(j -> own.equals(j.getMetadata().getName()))
        .findFirst()
        .or(() -> labelled.stream().findFirst());
  }

  /** The pool Jobs that wait for a run of {@code tool}, of any version. */
  public List<Job> waitingPoolJobs(String tool) {
    SharedIndexInformer<Job> informer = jobs;
    return informer == null ? List.of() : informer.getIndexer().byIndex(BY_POOL, tool);
  }

  /** Every pool Job that waits for a run. */
  public List<Job> waitingPoolJobs() {
    SharedIndexInformer<Job> informer = jobs;
    return informer == null
        ? List.of()
        : informer.getStore().list().stream()
            .filter(j -> WorkloadLabels.waitingPool(j.getMetadata().getLabels()).isPresent())
            .toList();
  }

  /**
   * Pool Jobs a claim took but never handed to an instance: left by a toolrun that stopped in the
   * middle of a claim, or by a claim under way now.
   */
  public List<Job> claimedPoolJobsWithoutInstance() {
    SharedIndexInformer<Job> informer = jobs;
    return informer == null
        ? List.of()
        : informer.getStore().list().stream()
            .filter(
                j -> {
                  Map<String, String> labels = j.getMetadata().getLabels();
                  return labels != null
                      && WorkloadLabels.POOL_CLAIMED.equals(labels.get(WorkloadLabels.POOL))
                      && !labels.containsKey(WorkloadLabels.INSTANCE);
                })
            .toList();
  }

  /** The pods of the Job called {@code job}. */
  public List<Pod> podsOfJob(String job) {
    SharedIndexInformer<Pod> informer = pods;
    return informer == null ? List.of() : informer.getIndexer().byIndex(BY_JOB, job);
  }

  /** The Job called {@code name}; empty also before {@link #start}. */
  public Optional<Job> job(String name) {
    SharedIndexInformer<Job> informer = jobs;
    return informer == null
        ? Optional.empty()
        : Optional.ofNullable(informer.getIndexer().getByKey(cluster.namespace() + "/" + name));
  }

  /** Every Job toolrun manages. */
  List<Job> jobs() {
    return jobs.getStore().list();
  }

  /** The pods of instance {@code id}; none before {@link #start}. */
  List<Pod> pods(InstanceId id) {
    SharedIndexInformer<Pod> informer = pods;
    return informer == null ? List.of() : informer.getIndexer().byIndex(BY_INSTANCE, id.value());
  }

  @Override
  public void close() {
    SharedIndexInformer<Job> j = jobs;
    SharedIndexInformer<Pod> p = pods;
    if (j != null) {
      j.close();
    }
    if (p != null) {
      p.close();
    }
  }
}
