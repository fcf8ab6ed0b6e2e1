package dev.toolrun.bench.cluster;

import dev.toolrun.domain.instance.InstanceState;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two bare watches in one namespace, as the administrator, beside toolrun: on Jobs, for the event
 * that brings a Job's terminal condition, and on toolrun's instance records, for the event that
 * brings a terminal state. Each is timed on arrival, on the same clock, and keyed by instance id.
 *
 * <p>Bare watches rather than informers: no cache and no extra hop between the socket and the
 * timestamp. Only the first terminal event of each instance counts; a waiter may ask before or
 * after it arrives.
 */
final class TerminalEventWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TerminalEventWatch.class);

  /** A Job's terminal event: when it arrived, and its condition as the API server stamped it. */
  record JobEnd(Arrival arrival, String condition, Instant lastTransitionTime) {}

  /** A record's terminal event: when it arrived, and the state it brought. */
  record RecordEnd(Arrival arrival, InstanceState state) {}

  private final Map<String, CompletableFuture<JobEnd>> jobEnds = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<RecordEnd>> recordEnds = new ConcurrentHashMap<>();
  private final String namespace;
  private Watch jobs;
  private Watch records;

  private TerminalEventWatch(String namespace) {
    this.namespace = namespace;
  }

  static TerminalEventWatch start(KubernetesClient admin, String namespace) {
    TerminalEventWatch watch = new TerminalEventWatch(namespace);
    watch.jobs =
        admin
            .batch()
            .v1()
            .jobs()
            .inNamespace(namespace)
            .withLabel(ToolrunLabels.INSTANCE)
            .watch(watch.new JobWatcher());
    // The records are ToolRuns (kubernetes.records=resources, the default), their state in status.
    watch.records =
        admin
            .genericKubernetesResources("toolrun.dev/v1alpha1", "ToolRun")
            .inNamespace(namespace)
            .withLabel(ToolrunLabels.RECORD, "instance")
            .watch(watch.new RecordWatcher());
    return watch;
  }

  /** The terminal event of the Job of instance {@code id}, when it arrives. */
  CompletableFuture<JobEnd> jobEnd(String id) {
    return jobEnds.computeIfAbsent(id, ignored -> new CompletableFuture<>());
  }

  /** The terminal event of the record of instance {@code id}, when it arrives. */
  CompletableFuture<RecordEnd> recordEnd(String id) {
    return recordEnds.computeIfAbsent(id, ignored -> new CompletableFuture<>());
  }

  private final class JobWatcher implements Watcher<Job> {
    @Override
    public void eventReceived(Action action, Job job) {
      Arrival arrival = Arrival.now();
      terminalCondition(job)
          .ifPresent(
              c ->
                  jobEnd(job.getMetadata().getLabels().get(ToolrunLabels.INSTANCE))
                      .complete(
                          new JobEnd(
                              arrival, c.getType(), Instant.parse(c.getLastTransitionTime()))));
    }

    @Override
    public void onClose(WatcherException cause) {
      LOG.warn("the Job watch in {} closed: {}", namespace, cause.getMessage());
    }
  }

  private final class RecordWatcher implements Watcher<GenericKubernetesResource> {
    @Override
    public void eventReceived(Action action, GenericKubernetesResource record) {
      Arrival arrival = Arrival.now();
      Map<String, String> labels = record.getMetadata().getLabels();
      String state =
          record.getAdditionalProperties().get("status") instanceof Map<?, ?> status
                  && status.get("state") instanceof String s
              ? s
              : null;
      if (action != Action.DELETED && state != null && InstanceState.valueOf(state).isTerminal()) {
        recordEnd(labels.get(ToolrunLabels.INSTANCE))
            .complete(new RecordEnd(arrival, InstanceState.valueOf(state)));
      }
    }

    @Override
    public void onClose(WatcherException cause) {
      LOG.warn("the record watch in {} closed: {}", namespace, cause.getMessage());
    }
  }

  private static Optional<JobCondition> terminalCondition(Job job) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return job.getStatus().getConditions().stream()
        .filter(
            c ->
                ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))
                    && "True".equals(c.getStatus()))
        .findFirst();
  }

  @Override
  public void close() {
    if (jobs != null) {
      jobs.close();
    }
    if (records != null) {
      records.close();
    }
  }

  @Override
  public String toString() {
    return "terminal-event watches in " + namespace;
  }
}
