package dev.toolrun.adapter.k8s.record;

import dev.toolrun.domain.error.Violation;
import dev.toolrun.domain.instance.FailureKind;
import dev.toolrun.domain.instance.FailureReason;
import dev.toolrun.domain.instance.IdempotencyKey;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.LogTail;
import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.instance.SecretReference;
import dev.toolrun.domain.instance.ServiceHealth;
import dev.toolrun.domain.instance.StateChange;
import dev.toolrun.domain.instance.ToolResult;
import dev.toolrun.domain.instance.WorkloadStart;
import dev.toolrun.domain.tool.Affinity;
import dev.toolrun.domain.tool.CleanupPolicy;
import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.Gpu;
import dev.toolrun.domain.tool.JsonSchema;
import dev.toolrun.domain.tool.LabelRequirement;
import dev.toolrun.domain.tool.NodeSelectorTerm;
import dev.toolrun.domain.tool.Parallelism;
import dev.toolrun.domain.tool.PodAffinityRule;
import dev.toolrun.domain.tool.Protocol;
import dev.toolrun.domain.tool.Quantity;
import dev.toolrun.domain.tool.ResourceRange;
import dev.toolrun.domain.tool.Resources;
import dev.toolrun.domain.tool.Scheduling;
import dev.toolrun.domain.tool.Script;
import dev.toolrun.domain.tool.ScriptLanguage;
import dev.toolrun.domain.tool.SecuritySettings;
import dev.toolrun.domain.tool.ServiceSettings;
import dev.toolrun.domain.tool.Toleration;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolMode;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.domain.tool.UnhealthyAction;
import dev.toolrun.domain.tool.VolumeClaimMount;
import dev.toolrun.domain.tool.Workload;
import dev.toolrun.ports.in.LogStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one place where the domain meets toolrun's storage format: maps tools and instances to their
 * stored documents ({@link StoredTool}, {@link StoredInstance}) and back. A rename in the domain
 * changes this class, never the stored field names; the kinds of sealed types (workloads, failures)
 * are stored under the names given here, not under class names.
 *
 * <p>Reading runs the domain's own constructors, so a stored record is validated like a new one; a
 * document that breaks the domain's rules is refused with an {@link IllegalArgumentException}.
 *
 * <p>Longer than most classes (about 500 lines) on purpose: it maps every part of a tool spec and
 * an instance in both directions, and splitting it would split the one place that names stored
 * fields.
 */
final class RecordMapper {
  private static final Map<FailureKind, String> FAILURE_TYPES =
      Map.of(
          FailureKind.IMAGE_PULL_FAILED, "ImagePullFailed",
          FailureKind.UNSCHEDULABLE, "Unschedulable",
          FailureKind.OUT_OF_MEMORY, "OutOfMemory",
          FailureKind.DEADLINE_EXCEEDED, "DeadlineExceeded",
          FailureKind.EXITED_NON_ZERO, "ExitedNonZero",
          FailureKind.CANCELLED, "Cancelled",
          FailureKind.CRASH_LOOP, "CrashLoop",
          FailureKind.HEALTH_CHECK_FAILED, "HealthCheckFailed",
          FailureKind.RUNTIME_ERROR, "RuntimeError");

  private RecordMapper() {}

  static StoredTool toStored(Tool tool) {
    return new StoredTool(
        RecordJson.SCHEMA_VERSION,
        tool.name().value(),
        tool.version(),
        tool.description(),
        tool.registeredAt().toString(),
        toStored(tool.spec()));
  }

  /**
   * The tool that {@code stored} describes.
   *
   * @throws IllegalArgumentException when it describes no valid tool
   */
  static Tool toDomain(StoredTool stored) {
    return valid("tool", () -> tool(stored));
  }

  private static Tool tool(StoredTool stored) {
    return new Tool(
        new ToolName(stored.name()),
        stored.version(),
        Optional.ofNullable(stored.description()).orElse(""),
        toDomain(stored.spec()),
        Instant.parse(stored.registeredAt()));
  }

  private static StoredTool.Spec toStored(ToolSpec spec) {
    return new StoredTool.Spec(
        toStored(spec.workload()),
        spec.mode().name(),
        toStored(spec.resources()),
        spec.env(),
        List.copyOf(spec.secretInputs()),
        toStored(spec.scheduling()),
        toStored(spec.security()),
        spec.serviceAccount().orElse(null),
        spec.imagePullSecret().orElse(null),
        list(
            spec.volumes(), v -> new StoredTool.Volume(v.claimName(), v.mountPath(), v.readOnly())),
        new StoredTool.Parallelism(
            spec.parallelism().parallelism(), spec.parallelism().completions()),
        spec.timeout().map(Duration::toString).orElse(null),
        spec.retryLimit(),
        spec.cleanupPolicy().map(CleanupPolicy::name).orElse(null),
        spec.istioSidecar().orElse(null),
        spec.service().map(RecordMapper::toStored).orElse(null),
        spec.inputSchema().map(JsonSchema::document).orElse(null),
        spec.outputSchema().map(JsonSchema::document).orElse(null));
  }

  private static ToolSpec toDomain(StoredTool.Spec spec) {
    StoredTool.Security security = spec.security();
    return new ToolSpec(
        toDomain(spec.workload()),
        ToolMode.valueOf(spec.mode()),
        toDomain(spec.resources()),
        new TreeMap<>(map(spec.env())),
        new TreeSet<>(list(spec.secretInputs())),
        toDomain(spec.scheduling()),
        new SecuritySettings(
            security.runAsNonRoot(),
            Optional.ofNullable(security.runAsUser()),
            security.readOnlyRootFilesystem(),
            security.allowPrivilegeEscalation(),
            list(security.dropCapabilities()),
            list(security.addCapabilities())),
        Optional.ofNullable(spec.serviceAccount()),
        Optional.ofNullable(spec.imagePullSecret()),
        list(spec.volumes(), v -> new VolumeClaimMount(v.claimName(), v.mountPath(), v.readOnly())),
        new Parallelism(spec.parallelism().parallelism(), spec.parallelism().completions()),
        Optional.ofNullable(spec.timeout()).map(Duration::parse),
        spec.retryLimit(),
        Optional.ofNullable(spec.cleanupPolicy()).map(CleanupPolicy::valueOf),
        Optional.ofNullable(spec.istioSidecar()),
        Optional.ofNullable(spec.service()).map(RecordMapper::toDomain),
        Optional.ofNullable(spec.inputSchema()).map(JsonSchema::new),
        Optional.ofNullable(spec.outputSchema()).map(JsonSchema::new));
  }

  private static StoredTool.Workload toStored(Workload workload) {
    if (workload instanceof Script script) {
      return new StoredTool.Workload(
          StoredTool.Workload.SCRIPT,
          script.language().name(),
          script.source(),
          null,
          null,
          script.args());
    }
    ContainerImage image = (ContainerImage) workload;
    return new StoredTool.Workload(
        StoredTool.Workload.IMAGE, null, null, image.image(), image.command(), image.args());
  }

  private static Workload toDomain(StoredTool.Workload workload) {
    return switch (workload.type()) {
      case StoredTool.Workload.SCRIPT ->
          new Script(
              ScriptLanguage.valueOf(workload.language()),
              workload.source(),
              list(workload.args()));
      case StoredTool.Workload.IMAGE ->
          new ContainerImage(workload.image(), list(workload.command()), list(workload.args()));
      default ->
          throw new IllegalArgumentException("'" + workload.type() + "' is no kind of workload");
    };
  }

  private static StoredTool.Resources toStored(Resources resources) {
    return new StoredTool.Resources(
        toStored(resources.cpu()),
        toStored(resources.memory()),
        resources.gpu().map(g -> new StoredTool.Gpu(g.count(), g.resourceName())).orElse(null));
  }

  private static StoredTool.Range toStored(ResourceRange range) {
    return new StoredTool.Range(
        range.request().map(Quantity::text).orElse(null),
        range.limit().map(Quantity::text).orElse(null));
  }

  private static Resources toDomain(StoredTool.Resources resources) {
    return new Resources(
        toDomain(resources.cpu()),
        toDomain(resources.memory()),
        Optional.ofNullable(resources.gpu()).map(g -> new Gpu(g.count(), g.resourceName())));
  }

  private static ResourceRange toDomain(StoredTool.Range range) {
    if (range == null) {
      return ResourceRange.UNBOUNDED;
    }
    return new ResourceRange(
        Optional.ofNullable(range.request()).map(Quantity::parse),
        Optional.ofNullable(range.limit()).map(Quantity::parse));
  }

  private static StoredTool.Scheduling toStored(Scheduling scheduling) {
    Affinity affinity = scheduling.affinity();
    return new StoredTool.Scheduling(
        scheduling.nodeSelector(),
        list(
            scheduling.tolerations(),
            t ->
                new StoredTool.Toleration(
                    t.key().orElse(null),
                    t.operator().name(),
                    t.value().orElse(null),
                    t.effect().map(Toleration.Effect::name).orElse(null),
                    t.tolerationSeconds().orElse(null))),
        new StoredTool.Affinity(
            list(
                affinity.requiredNodeTerms(),
                term ->
                    list(
                        term.requirements(),
                        r ->
                            new StoredTool.LabelRequirement(
                                r.key(), r.operator().name(), r.values()))),
            list(affinity.podAffinity(), RecordMapper::toStored),
            list(affinity.podAntiAffinity(), RecordMapper::toStored)));
  }

  private static StoredTool.PodAffinityRule toStored(PodAffinityRule rule) {
    return new StoredTool.PodAffinityRule(
        rule.matchLabels(), rule.topologyKey(), rule.preferenceWeight().orElse(null));
  }

  private static Scheduling toDomain(StoredTool.Scheduling scheduling) {
    StoredTool.Affinity affinity = scheduling.affinity();
    return new Scheduling(
        new TreeMap<>(map(scheduling.nodeSelector())),
        list(
            scheduling.tolerations(),
            t ->
                new Toleration(
                    Optional.ofNullable(t.key()),
                    Toleration.Operator.valueOf(t.operator()),
                    Optional.ofNullable(t.value()),
                    Optional.ofNullable(t.effect()).map(Toleration.Effect::valueOf),
                    Optional.ofNullable(t.tolerationSeconds()))),
        affinity == null
            ? Affinity.NONE
            : new Affinity(
                list(
                    affinity.requiredNodeTerms(),
                    term ->
                        new NodeSelectorTerm(
                            list(
                                term,
                                r ->
                                    new LabelRequirement(
                                        r.key(),
                                        LabelRequirement.Operator.valueOf(r.operator()),
                                        list(r.values()))))),
                list(affinity.podAffinity(), RecordMapper::toDomain),
                list(affinity.podAntiAffinity(), RecordMapper::toDomain)));
  }

  private static PodAffinityRule toDomain(StoredTool.PodAffinityRule rule) {
    return new PodAffinityRule(
        map(rule.matchLabels()), rule.topologyKey(), Optional.ofNullable(rule.preferenceWeight()));
  }

  private static StoredTool.Security toStored(SecuritySettings security) {
    return new StoredTool.Security(
        security.runAsNonRoot(),
        security.runAsUser().orElse(null),
        security.readOnlyRootFilesystem(),
        security.allowPrivilegeEscalation(),
        security.dropCapabilities(),
        security.addCapabilities());
  }

  private static StoredTool.Service toStored(ServiceSettings s) {
    return new StoredTool.Service(
        s.port(),
        s.protocol().name(),
        s.healthPath(),
        s.healthInterval().toString(),
        s.failureThreshold(),
        s.maxConcurrentRequests(),
        s.requestTimeout().toString(),
        s.startTimeout().toString(),
        s.onUnhealthy().name(),
        s.maxRestarts(),
        s.networkIsolation());
  }

  private static ServiceSettings toDomain(StoredTool.Service s) {
    return new ServiceSettings(
        s.port(),
        Protocol.valueOf(s.protocol()),
        s.healthPath(),
        Duration.parse(s.healthInterval()),
        s.failureThreshold(),
        s.maxConcurrentRequests(),
        Duration.parse(s.requestTimeout()),
        Duration.parse(s.startTimeout()),
        UnhealthyAction.valueOf(s.onUnhealthy()),
        s.maxRestarts(),
        s.networkIsolation());
  }

  /** The launch document of {@code instance}; it holds what a PENDING instance has. */
  static StoredInstance.Launch toStoredLaunch(Instance instance) {
    return new StoredInstance.Launch(
        RecordJson.SCHEMA_VERSION,
        instance.id().value(),
        instance.toolName().value(),
        instance.toolVersion(),
        instance.mode().name(),
        instance.parameters().json(),
        List.copyOf(instance.secretNames()),
        instance.secretReference().map(r -> new StoredInstance.SecretRef(r.name())).orElse(null),
        instance
            .idempotencyKey()
            .map(k -> new StoredInstance.IdempotencyKey(k.value(), k.requestFingerprint()))
            .orElse(null),
        instance.createdAt().toString());
  }

  /** The status document of {@code instance}: everything that changes after its launch. */
  static StoredInstance.Status toStoredStatus(Instance instance) {
    ServiceHealth health = instance.health();
    return new StoredInstance.Status(
        RecordJson.SCHEMA_VERSION,
        instance.state().name(),
        list(
            instance.history(),
            c -> new StoredInstance.StateChange(c.state().name(), c.at().toString())),
        instance.failure().map(RecordMapper::toStored).orElse(null),
        instance.exitCode().orElse(null),
        instance.result().map(ToolResult::json).orElse(null),
        new StoredInstance.Health(
            health.lastCheckAt().map(Instant::toString).orElse(null),
            health.lastHealthyAt().map(Instant::toString).orElse(null),
            health.lastError().orElse(null),
            health.consecutiveFailures()),
        instance.restarts(),
        instance
            .logTail()
            .map(t -> new StoredInstance.LogTail(t.lines(), t.totalLines()))
            .orElse(null),
        instance
            .result()
            .filter(result -> !result.conforms())
            .map(
                result ->
                    list(
                        result.violations(),
                        v -> new StoredInstance.Violation(v.field(), v.message())))
            .orElse(null),
        instance.start().map(WorkloadStart::name).orElse(null),
        log(instance));
  }

  /**
   * How the log of {@code instance} stands, as far as its record knows: what its log tail says
   * (taken when it ended); without one, open while it runs (uncounted: its status is written less
   * often than its log grows), and nothing once it ended (a record kept before tails existed).
   */
  private static StoredInstance.Log log(Instance instance) {
    if (instance.logTail().isEmpty() && !instance.isTerminal()) {
      return new StoredInstance.Log(LogStatus.State.OPEN.name(), null, null, null);
    }
    return instance
        .logTail()
        .map(
            tail ->
                new StoredInstance.Log(
                    logState(tail).name(),
                    tail.totalLines(),
                    tail.droppedLines(),
                    tail.missing().orElse(null)))
        .orElse(null);
  }

  /** The log tail a status holds, saying what its {@code log} says of the whole log. */
  private static LogTail logTail(StoredInstance.Status status) {
    StoredInstance.LogTail tail = status.logTail();
    StoredInstance.Log log = status.log();
    if (log == null) {
      return new LogTail(tail.lines(), tail.totalLines());
    }
    return new LogTail(
        tail.lines(),
        tail.totalLines(),
        Optional.ofNullable(log.droppedLines()).orElse(0L),
        LogStatus.State.valueOf(log.state()) != LogStatus.State.OPEN,
        Optional.ofNullable(log.missing()));
  }

  /** The state of the log {@code tail} was taken from, spelled as the REST API's log status. */
  static LogStatus.State logState(LogTail tail) {
    return LogStatus.State.of(tail.ended(), tail.missing());
  }

  /**
   * The instance that {@code stored} describes; without a status document, as it was launched.
   *
   * @throws IllegalArgumentException when it describes no valid instance
   */
  static Instance toDomain(StoredInstance stored) {
    return valid("instance", () -> instance(stored));
  }

  private static Instance instance(StoredInstance stored) {
    StoredInstance.Launch launch = stored.launch();
    Instant createdAt = Instant.parse(launch.createdAt());
    Optional<StoredInstance.Status> status = stored.status();
    Optional<StoredInstance.Health> health = status.map(StoredInstance.Status::health);
    return new Instance(
        new InstanceId(launch.id()),
        new ToolName(launch.toolName()),
        launch.toolVersion(),
        ToolMode.valueOf(launch.mode()),
        new Parameters(launch.parameters()),
        new TreeSet<>(list(launch.secretNames())),
        Optional.ofNullable(launch.secretRef()).map(r -> new SecretReference(r.name())),
        Optional.ofNullable(launch.idempotencyKey())
            .map(k -> new IdempotencyKey(k.value(), k.requestFingerprint())),
        status.map(s -> InstanceState.valueOf(s.state())).orElse(InstanceState.PENDING),
        status
            .map(
                s ->
                    list(
                        s.history(),
                        c ->
                            new StateChange(
                                InstanceState.valueOf(c.state()), Instant.parse(c.at()))))
            .orElse(List.of(new StateChange(InstanceState.PENDING, createdAt))),
        status.map(StoredInstance.Status::failure).map(RecordMapper::toDomain),
        status.map(StoredInstance.Status::exitCode),
        status.flatMap(RecordMapper::result),
        health
            .map(
                h ->
                    new ServiceHealth(
                        Optional.ofNullable(h.lastCheckAt()).map(Instant::parse),
                        Optional.ofNullable(h.lastHealthyAt()).map(Instant::parse),
                        Optional.ofNullable(h.lastError()),
                        h.consecutiveFailures()))
            .orElse(ServiceHealth.UNCHECKED),
        status.map(StoredInstance.Status::restarts).orElse(0),
        status.filter(s -> s.logTail() != null).map(RecordMapper::logTail),
        status.map(StoredInstance.Status::start).map(WorkloadStart::valueOf));
  }

  private static Optional<ToolResult> result(StoredInstance.Status status) {
    return Optional.ofNullable(status.result())
        .map(
            json ->
                new ToolResult(
                    json,
                    list(status.resultViolations(), v -> new Violation(v.field(), v.message()))));
  }

  private static StoredInstance.Failure toStored(FailureReason reason) {
    String type = FAILURE_TYPES.get(reason.kind());
    return switch (reason.kind()) {
      case IMAGE_PULL_FAILED -> {
        var f = (FailureReason.ImagePullFailed) reason;
        yield new StoredInstance.Failure(
            type, f.image(), f.detail(), null, null, null, null, null, null, null, null);
      }
      case UNSCHEDULABLE -> detail(type, ((FailureReason.Unschedulable) reason).detail());
      case OUT_OF_MEMORY -> detail(type, ((FailureReason.OutOfMemory) reason).detail());
      case RUNTIME_ERROR -> detail(type, ((FailureReason.RuntimeError) reason).detail());
      case DEADLINE_EXCEEDED -> {
        String timeout = ((FailureReason.DeadlineExceeded) reason).timeout().toString();
        yield new StoredInstance.Failure(
            type, null, null, timeout, null, null, null, null, null, null, null);
      }
      case EXITED_NON_ZERO -> {
        var f = (FailureReason.ExitedNonZero) reason;
        boolean several = f.processes() > 1;
        yield new StoredInstance.Failure(
            type,
            null,
            null,
            null,
            f.exitCode(),
            null,
            null,
            null,
            null,
            several ? f.failedProcesses() : null,
            several ? f.processes() : null);
      }
      case CANCELLED ->
          new StoredInstance.Failure(
              type, null, null, null, null, null, null, null, null, null, null);
      case CRASH_LOOP -> {
        var f = (FailureReason.CrashLoop) reason;
        yield new StoredInstance.Failure(
            type,
            null,
            null,
            null,
            null,
            f.lastExitCode(),
            f.lastLogLines(),
            null,
            null,
            null,
            null);
      }
      case HEALTH_CHECK_FAILED -> {
        var f = (FailureReason.HealthCheckFailed) reason;
        yield new StoredInstance.Failure(
            type, null, null, null, null, null, null, f.failures(), f.lastError(), null, null);
      }
    };
  }

  private static StoredInstance.Failure detail(String type, String detail) {
    return new StoredInstance.Failure(
        type, null, detail, null, null, null, null, null, null, null, null);
  }

  private static FailureReason toDomain(StoredInstance.Failure f) {
    FailureKind kind =
        FAILURE_TYPES.entrySet().stream()
            .filter(e -> e.getValue().equals(f.type()))
            .map(Map.Entry::getKey)
            .findFirst()
            .orElseThrow(
                () -> new IllegalArgumentException("'" + f.type() + "' is no kind of failure"));
    return switch (kind) {
      case IMAGE_PULL_FAILED -> new FailureReason.ImagePullFailed(f.image(), f.detail());
      case UNSCHEDULABLE -> new FailureReason.Unschedulable(f.detail());
      case OUT_OF_MEMORY -> new FailureReason.OutOfMemory(f.detail());
      case RUNTIME_ERROR -> new FailureReason.RuntimeError(f.detail());
      case DEADLINE_EXCEEDED -> new FailureReason.DeadlineExceeded(Duration.parse(f.timeout()));
      case EXITED_NON_ZERO ->
          new FailureReason.ExitedNonZero(
              f.exitCode(),
              Objects.requireNonNullElse(f.failedProcesses(), 1),
              Objects.requireNonNullElse(f.processes(), 1));
      case CANCELLED -> new FailureReason.Cancelled();
      case CRASH_LOOP -> new FailureReason.CrashLoop(f.lastExitCode(), list(f.lastLogLines()));
      case HEALTH_CHECK_FAILED -> new FailureReason.HealthCheckFailed(f.failures(), f.lastError());
    };
  }

  /**
   * What {@code read} makes of a stored document, any breach of the domain's rules reported as one.
   */
  private static <T> T valid(String kind, Supplier<T> read) {
    try {
      return read.get();
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("a stored " + kind + " is invalid: " + e.getMessage(), e);
    }
  }

  private static <T> List<T> list(List<T> stored) {
    return stored == null ? List.of() : stored;
  }

  private static <A, B> List<B> list(List<A> from, Function<A, B> map) {
    return list(from).stream().map(map).toList();
  }

  private static Map<String, String> map(Map<String, String> stored) {
    return stored == null ? Map.of() : stored;
  }
}
