package dev.toolrun.adapter.k8s.runrequest;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.k8s.KubernetesConfig;
import dev.toolrun.adapter.k8s.KubernetesDoor;
import dev.toolrun.adapter.k8s.client.ApiErrors;
import dev.toolrun.adapter.k8s.client.Informers;
import dev.toolrun.adapter.k8s.client.KubernetesCluster;
import dev.toolrun.adapter.k8s.job.WorkloadLabels;
import dev.toolrun.adapter.k8s.record.Adoption;
import dev.toolrun.adapter.k8s.record.Finalizers;
import dev.toolrun.adapter.k8s.record.KubernetesInstanceRepository;
import dev.toolrun.adapter.k8s.record.ToolRuns;
import dev.toolrun.domain.error.ConflictException;
import dev.toolrun.domain.error.InstanceNotFoundException;
import dev.toolrun.domain.error.ToolrunException;
import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.tool.ToolMode;
import dev.toolrun.ports.in.CancelInstanceUseCase;
import dev.toolrun.ports.in.CancelInstanceUseCase.CancelInstanceCommand;
import dev.toolrun.ports.in.GetInstanceUseCase;
import dev.toolrun.ports.in.GetInstanceUseCase.GetInstanceQuery;
import dev.toolrun.ports.in.LaunchInstanceUseCase;
import dev.toolrun.ports.in.LaunchInstanceUseCase.LaunchInstanceCommand;
import dev.toolrun.ports.in.LaunchInstanceUseCase.Launched;
import dev.toolrun.ports.in.StopInstanceUseCase;
import dev.toolrun.ports.in.StopInstanceUseCase.StopInstanceCommand;
import dev.toolrun.ports.out.Leadership;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The door for runs asked for with kubectl: a ToolRun created by hand ({@code kubectl create -f})
 * is launched exactly as {@code POST /v1/instances} would launch it, through the core's launch use
 * case (validation, admission queue, capacity, idempotency key), and {@code kubectl delete} of the
 * ToolRun of an active run cancels it (a service is stopped) through the core, so watchers and
 * metrics see it end, before toolrun lets the ToolRun go.
 *
 * <p>A ToolRun written by hand is named by its author ({@code greet-1}); an instance's id is the
 * UUIDv7 the core makes. It is adopted, not copied: the launch's record is that very ToolRun,
 * labelled with the new id by one patch ({@link KubernetesInstanceRepository#adopting}), so {@code
 * kubectl get toolrun greet-1} and {@code GET /v1/instances/<id>} show the same run. The label is
 * also what says it was adopted: a ToolRun that carries it (adopted, or launched through REST) is
 * never launched again, after a restart either. One that cannot be launched gets {@code
 * Accepted=False} with the reason (every violation of an invalid one) on its status, and {@code
 * state: FAILED} unless asking again may work (its tool is not registered yet, the cluster is
 * away): that one is retried at every resync.
 *
 * <p>Only the writer acts ({@link Leadership}); a standby follows the ToolRuns and leaves them, and
 * the resync brings every one back once it leads. Events are handled on a thread of the door's, one
 * at a time, from the informer's latest copy of each ToolRun.
 */
public final class RunRequests implements KubernetesDoor {
  private static final Logger LOG = LoggerFactory.getLogger(RunRequests.class);
  static final Duration RESYNC = Duration.ofSeconds(30);

  /** How often waiting runs' queue positions are written, unless told otherwise. */
  static final Duration QUEUE_REFRESH = KubernetesConfig.defaults().queuePositionRefresh();

  static final String ACCEPTED = "Accepted";
  // A JSON patch whose test failed: the finalizers changed since they were read.
  private static final int UNPROCESSABLE = 422;

  private final KubernetesCluster cluster;
  private final KubernetesInstanceRepository records;
  private final LaunchInstanceUseCase launch;
  private final CancelInstanceUseCase cancel;
  private final StopInstanceUseCase stop;
  private final GetInstanceUseCase get;
  private final Leadership leadership;
  private final Clock clock;
  // ToolRuns this process adopted: the informer may still hand over the copy from before.
  private final Set<String> adopted = ConcurrentHashMap.newKeySet();
  private final Set<String> queued = ConcurrentHashMap.newKeySet();
  private final QueuePositions queuePositions;
  private final Duration queueRefresh;
  private final ScheduledExecutorService worker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "toolrun-k8s-run-requests");
            t.setDaemon(true);
            return t;
          });
  private volatile SharedIndexInformer<GenericKubernetesResource> informer;

  public RunRequests(
      KubernetesCluster cluster,
      KubernetesInstanceRepository records,
      LaunchInstanceUseCase launch,
      CancelInstanceUseCase cancel,
      StopInstanceUseCase stop,
      GetInstanceUseCase get,
      Leadership leadership,
      Clock clock) {
    this(cluster, records, launch, cancel, stop, get, leadership, clock, QUEUE_REFRESH);
  }

  /**
   * A door that shows waiting runs' places in the admission queue at most every {@code
   * queueRefresh} ({@link QueuePositions}).
   */
  public RunRequests(
      KubernetesCluster cluster,
      KubernetesInstanceRepository records,
      LaunchInstanceUseCase launch,
      CancelInstanceUseCase cancel,
      StopInstanceUseCase stop,
      GetInstanceUseCase get,
      Leadership leadership,
      Clock clock,
      Duration queueRefresh) {
    this.queueRefresh = requireNonNull(queueRefresh, "queueRefresh is null");
    if (queueRefresh.isNegative() || queueRefresh.isZero()) {
      throw new IllegalArgumentException("queueRefresh must be positive");
    }
    this.queuePositions = new QueuePositions(requireNonNull(get, "get is null"));
    this.cluster = requireNonNull(cluster, "cluster is null");
    this.records = requireNonNull(records, "records is null");
    this.launch = requireNonNull(launch, "launch is null");
    this.cancel = requireNonNull(cancel, "cancel is null");
    this.stop = requireNonNull(stop, "stop is null");
    this.get = requireNonNull(get, "get is null");
    this.leadership = requireNonNull(leadership, "leadership is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** Starts following the namespace's ToolRuns, all of them, and waits until it has seen them. */
  @Override
  public synchronized void start() {
    if (informer != null) {
      return;
    }
    SharedIndexInformer<GenericKubernetesResource> inform =
        ToolRuns.of(cluster.client())
            .inNamespace(cluster.namespace())
            .withLimit(Informers.LIST_PAGE)
            .runnableInformer(RESYNC.toMillis());
    inform.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(GenericKubernetesResource run) {
            enqueue(run);
          }

          @Override
          public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource run) {
            enqueue(run);
          }

          @Override
          public void onDelete(GenericKubernetesResource run, boolean unknownFinalState) {
            adopted.remove(run.getMetadata().getUid());
          }
        });
    inform.exceptionHandler(Informers::retry);
    // Before it starts: its first events come while it starts, and are handled from its store.
    informer = inform;
    try {
      Informers.start(
          cluster,
          "following the ToolRuns of namespace %s".formatted(cluster.namespace()),
          List.of(inform));
    } catch (RuntimeException e) {
      informer = null;
      throw e;
    }
    worker.scheduleWithFixedDelay(
        this::showQueuePositions,
        queueRefresh.toMillis(),
        queueRefresh.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Writes each waiting ToolRun's place in the queue where it moved; on the door's thread. */
  private void showQueuePositions() {
    if (leadership.notWriting().isPresent()) {
      return;
    }
    for (GenericKubernetesResource run : informer.getStore().list()) {
      try {
        queuePositions
            .patch(run)
            .ifPresent(
                patch ->
                    send(
                        run,
                        "showing its place in the queue",
                        resource ->
                            resource
                                .subresource("status")
                                .patch(PatchContext.of(PatchType.JSON_MERGE), patch)));
      } catch (RuntimeException e) {
        LOG.warn(
            "could not show the queue position of ToolRun {}: {}",
            run.getMetadata().getName(),
            e.getMessage());
      }
    }
  }

  private void enqueue(GenericKubernetesResource run) {
    String name = run.getMetadata().getName();
    if (!queued.add(name)) {
      return;
    }
    worker.execute(
        () -> {
          queued.remove(name);
          GenericKubernetesResource latest =
              informer.getStore().getByKey(cluster.namespace() + "/" + name);
          if (latest != null) {
            try {
              consider(latest);
            } catch (RuntimeException e) {
              LOG.error("could not handle ToolRun {}", name, e);
            }
          }
        });
  }

  /** Does what {@code run}, as it is now, asks of toolrun, if anything: launch, cancel, let go. */
  void consider(GenericKubernetesResource run) {
    if (leadership.notWriting().isPresent()) {
      return;
    }
    var metadata = run.getMetadata();
    if (metadata.getDeletionTimestamp() != null) {
      if (metadata.getFinalizers() != null
          && metadata.getFinalizers().contains(ToolRuns.FINALIZER)) {
        endAndRelease(run);
      }
      return;
    }
    Map<String, String> labels = metadata.getLabels();
    if (labels != null && labels.containsKey(WorkloadLabels.INSTANCE)) {
      releaseIfEnded(run);
      return;
    }
    if (adopted.contains(metadata.getUid()) || answered(run)) {
      return;
    }
    adopt(run);
  }

  /**
   * Takes the finalizer off a run's record once the run has ended: it is there so that a {@code
   * kubectl delete} of an active run cancels it, and an ended run has nothing to cancel. Kept, it
   * would leave a deleted ended run, and a deleted namespace, waiting for a toolrun that may never
   * run there again (uninstalled). The write moves here from the record's removal by retention,
   * which then deletes at once: a run costs the same.
   */
  private void releaseIfEnded(GenericKubernetesResource run) {
    List<String> finalizers = run.getMetadata().getFinalizers();
    if (finalizers == null
        || !finalizers.contains(ToolRuns.FINALIZER)
        || !(run.getAdditionalProperties().get("status") instanceof Map<?, ?> status)
        || !(status.get("state") instanceof String state)
        || !ended(state)) {
      return;
    }
    send(
        run,
        "taking its finalizer off: its run has ended",
        resource ->
            resource.patch(
                PatchContext.of(PatchType.JSON), Finalizers.releasePatch(run, ToolRuns.FINALIZER)));
  }

  private static boolean ended(String state) {
    try {
      return InstanceState.valueOf(state).isTerminal();
    } catch (IllegalArgumentException notAState) {
      return false;
    }
  }

  /** Whether {@code run} was refused for good already: it has a state, or a final refusal. */
  @SuppressWarnings("unchecked")
  private static boolean answered(GenericKubernetesResource run) {
    if (!(run.getAdditionalProperties().get("status") instanceof Map<?, ?> status)) {
      return false;
    }
    if (status.get("state") != null) {
      return true;
    }
    return accepted((Map<String, Object>) status)
        .map(c -> Refusal.isFinal(String.valueOf(c.get("reason"))))
        .orElse(false);
  }

  @SuppressWarnings("unchecked")
  private static Optional<Map<String, Object>> accepted(Map<String, Object> status) {
    if (!(status.get("conditions") instanceof List<?> conditions)) {
      return Optional.empty();
    }
    return conditions.stream()
        .filter(c -> c instanceof Map<?, ?> m && ACCEPTED.equals(m.get("type")))
        .map(c -> (Map<String, Object>) c)
        .findFirst();
  }

  private void adopt(GenericKubernetesResource run) {
    String name = run.getMetadata().getName();
    LaunchInstanceCommand command;
    try {
      command = RunRequest.command(run);
    } catch (ValidationException e) {
      refuse(run, Refusal.invalid(e));
      return;
    }
    Adoption adoption =
        new Adoption(
            name,
            run.getMetadata().getResourceVersion(),
            Optional.ofNullable(run.getMetadata().getFinalizers()).orElse(List.of()));
    AtomicReference<Launched> launched = new AtomicReference<>();
    boolean took;
    try {
      took = records.adopting(adoption, () -> launched.set(launch.launch(command)));
    } catch (ValidationException e) {
      refuse(run, Refusal.invalid(e));
      return;
    } catch (ConflictException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("ToolRun " + name + " was")) {
        // It changed or went while it was launched: its next event says what it is now.
        LOG.info("ToolRun {} not launched: {}", name, e.getMessage());
        return;
      }
      refuse(run, Refusal.of(Refusal.CONFLICT, e.getMessage()));
      return;
    } catch (ToolrunException e) {
      // Asking again may work (a tool registered later, the cluster back, room in the queue).
      refuse(run, Refusal.of(e.code().name(), e.getMessage()));
      return;
    }
    Instance instance = launched.get().view().instance();
    if (took) {
      adopted.add(run.getMetadata().getUid());
      LOG.info("ToolRun {} launched as instance {}", name, instance.id());
    } else if (launched.get().replayed()) {
      refuse(
          run,
          Refusal.of(
              Refusal.REPLAYED,
              "idempotency key '%s' launched instance %s already, with the same request: this"
                      .formatted(command.idempotencyKey().orElse(""), instance.id())
                  + " ToolRun is not run again"));
    } else {
      LOG.error(
          "ToolRun {} was launched as instance {} but not adopted; its run has a record of its"
              + " own",
          name,
          instance.id());
    }
  }

  /**
   * The ToolRun of an instance is being deleted: the run is cancelled (a service stopped) if it is
   * still going, and toolrun's finalizer comes off once it has ended, so the ToolRun goes and the
   * garbage collector takes what it owns.
   */
  private void endAndRelease(GenericKubernetesResource run) {
    Optional<InstanceId> id = QueuePositions.instanceId(run);
    if (id.isPresent()) {
      try {
        Instance instance = get.get(new GetInstanceQuery(id.get())).instance();
        if (!instance.isTerminal()) {
          instance =
              instance.mode() == ToolMode.SERVICE
                  ? stop.stop(new StopInstanceCommand(id.get())).instance()
                  : cancel.cancel(new CancelInstanceCommand(id.get())).instance();
          LOG.info(
              "ToolRun {} was deleted: instance {} is {}",
              run.getMetadata().getName(),
              id.get(),
              instance.state());
        }
        if (!instance.isTerminal()) {
          // A service stops in its own time; its status write brings the ToolRun back here.
          return;
        }
      } catch (InstanceNotFoundException gone) {
        // Removed already (retention), or never known: nothing to end.
      }
    }
    send(
        run,
        "taking its finalizer off",
        resource ->
            resource.patch(
                PatchContext.of(PatchType.JSON), Finalizers.releasePatch(run, ToolRuns.FINALIZER)));
  }

  private void refuse(GenericKubernetesResource run, Refusal refusal) {
    @SuppressWarnings("unchecked")
    Map<String, Object> status =
        run.getAdditionalProperties().get("status") instanceof Map<?, ?> s
            ? (Map<String, Object>) s
            : Map.of();
    Optional<Map<String, Object>> now = accepted(status);
    if (now.isPresent()
        && refusal.reason().equals(now.get().get("reason"))
        && refusal.message().equals(now.get().get("message"))) {
      // Said already: a retried refusal costs no write.
      return;
    }
    LOG.info(
        "ToolRun {} is not launched ({}): {}",
        run.getMetadata().getName(),
        refusal.reason(),
        refusal.message());
    String patch = refusal.statusPatch(run.getMetadata().getResourceVersion(), clock.instant());
    send(
        run,
        "saying why it is not launched",
        resource ->
            resource.subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), patch));
  }

  private void send(
      GenericKubernetesResource run,
      String what,
      Consumer<Resource<GenericKubernetesResource>> write) {
    String name = run.getMetadata().getName();
    cluster.limiter().take(1);
    try {
      write.accept(ToolRuns.of(cluster.client()).inNamespace(cluster.namespace()).resource(run));
    } catch (KubernetesClientException e) {
      if (e.getCode() == ApiErrors.CONFLICT
          || e.getCode() == ApiErrors.NOT_FOUND
          || e.getCode() == UNPROCESSABLE) {
        // It changed meanwhile: its next event brings it back as it is now.
        LOG.debug("ToolRun {} changed while {}: {}", name, what, e.getMessage());
        return;
      }
      LOG.warn("could not update ToolRun {} ({}): {}", name, what, e.getMessage());
    }
  }

  @Override
  public synchronized void close() {
    SharedIndexInformer<GenericKubernetesResource> i = informer;
    if (i != null) {
      Informers.stop(i);
    }
    worker.shutdownNow();
  }
}
