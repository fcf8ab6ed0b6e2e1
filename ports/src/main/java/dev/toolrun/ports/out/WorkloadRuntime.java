package dev.toolrun.ports.out;

import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.ServiceRequest;
import dev.toolrun.domain.instance.ServiceResponse;
import dev.toolrun.domain.instance.WorkloadStart;
import dev.toolrun.ports.in.RecordRunProgressUseCase;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Runs instances' workloads somewhere (a Kubernetes cluster, or memory) and reports what becomes of
 * them. Implementations are thread-safe; nothing of the underlying technology crosses this port.
 */
public interface WorkloadRuntime {

  /** What this runtime can do. */
  RuntimeCapabilities capabilities();

  /**
   * Whether the runtime knows that what it runs on is unreachable right now. It must answer at
   * once, from what it has already seen (no request of its own), so that callers can refuse work in
   * a second instead of each finding the outage out in turn. A runtime that cannot tell answers
   * empty, as this default does.
   */
  default Optional<RuntimeOutage> outage() {
    return Optional.empty();
  }

  /**
   * Starts following workloads and reporting their progress (state changes, exit codes, results) to
   * {@code listener}. Called once, before the first launch.
   */
  void observe(RecordRunProgressUseCase listener);

  /**
   * Refuses a launch whose workload this runtime could never create, whatever its state: inputs or
   * secrets beyond what it can hold. Called before anything of the launch is recorded, so that such
   * a launch is answered with the limit at once rather than accepted and failed later; it must
   * answer from the launch alone (no request of its own). This default refuses nothing.
   *
   * @throws dev.toolrun.domain.error.ValidationException naming each field beyond a limit, and the
   *     limit
   */
  default void checkFits(Launch launch) {}

  /**
   * Creates the workload of {@code launch}'s instance and returns once the runtime has accepted it;
   * what happens next is reported to the listener. Launching an instance whose workload exists
   * already adopts it instead of creating a second one. A runtime with a warm pool for the tool
   * hands the run to a waiting pool pod when one is ready, and creates a workload otherwise.
   *
   * @return how the workload was started: {@code WARM} on a pool pod, {@code COLD} otherwise
   * @throws dev.toolrun.domain.error.RuntimeUnavailableException when the runtime cannot be
   *     reached; the launch may be retried
   * @throws dev.toolrun.domain.error.RuntimeRejectedException when the runtime refused the workload
   */
  WorkloadStart launch(Launch launch);

  /**
   * Whether {@code launch} would now be handed to a ready pool pod, as far as the runtime knows
   * from memory, without a request and without claiming anything: a hint, by which the core lets
   * such a start go ahead of a burst of launches being accepted (a claim starts no pod and makes a
   * few requests, where a cold start makes a workload). The launch may still start cold, should
   * another take the pod first. False by default.
   */
  default boolean wouldStartWarm(Launch launch) {
    return false;
  }

  /** The warm pools the runtime keeps, one per tool that has one; none by default. */
  default List<PoolStatus> pools() {
    return List.of();
  }

  /**
   * Keeps {@code size} waiting pods for {@code tool} from now on, in place of the configured size,
   * until the runtime is closed (0 removes its pool): pods are made or removed in the background. A
   * runtime without pools refuses.
   *
   * @throws dev.toolrun.domain.error.RuntimeRejectedException when the runtime keeps no pools
   */
  default void resizePool(dev.toolrun.domain.tool.ToolName tool, int size) {
    throw new dev.toolrun.domain.error.RuntimeRejectedException(
        dev.toolrun.domain.error.RuntimeRejectedException.Kind.OTHER,
        "this runtime keeps no warm pools",
        null);
  }

  /**
   * Whether a workload of instance {@code id} exists, running or finished: after a restart of
   * toolrun, an instance whose record says it runs but whose workload is gone has ended without
   * anyone seeing how. Answers from what {@link #observe} has seen; call it after that.
   */
  boolean hasWorkload(InstanceId id);

  /**
   * Removes the workload of instance {@code id}, if there is one; doing it twice is harmless. The
   * caller records the instance's end: nothing is reported for a terminated workload.
   *
   * @throws dev.toolrun.domain.error.RuntimeUnavailableException when the runtime cannot be reached
   */
  void terminate(InstanceId id);

  /**
   * Sends {@code request} to port {@code port} of the running workload of service instance {@code
   * id} and completes with its answer, whatever its status. Never blocks the caller.
   *
   * <p>Completes exceptionally with {@link dev.toolrun.domain.error.RequestTimeoutException} when
   * no answer came within {@code timeout}, and with {@link
   * dev.toolrun.domain.error.UpstreamFailedException} when the request could not be delivered (no
   * running workload, connection refused) or the answer could not be read.
   */
  CompletionStage<ServiceResponse> send(
      InstanceId id, int port, ServiceRequest request, Duration timeout);

  /**
   * Replaces the running workload of service instance {@code id} with a fresh one (its process is
   * unhealthy); progress of the new workload is reported as usual.
   *
   * @throws dev.toolrun.domain.error.RuntimeUnavailableException when the runtime cannot be reached
   */
  void restart(InstanceId id);
}
