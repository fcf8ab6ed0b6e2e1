package dev.toolrun.adapter.k8s.record;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;

/**
 * The ToolRun custom resource as the door for runs written with kubectl sees it: its API and the
 * finalizer that toolrun puts on every ToolRun it keeps a run in.
 */
public final class ToolRuns {
  /**
   * On every ToolRun that is an instance's record, from its create (or adoption) on: a {@code
   * kubectl delete} of it then waits until toolrun has cancelled the run and recorded that, and
   * toolrun takes the finalizer away once the run has ended.
   */
  public static final String FINALIZER = "toolrun.dev/cancel";

  /**
   * The status field with a waiting run's place in the admission queue, 1 for the next: written by
   * the door while the run waits, removed by the record's next status write (the run admitted, or
   * ended), which sends it as null.
   */
  public static final String QUEUE_POSITION = "queuePosition";

  private ToolRuns() {}

  /** The ToolRuns API of {@code client}. */
  public static MixedOperation<
          GenericKubernetesResource,
          ? extends KubernetesResourceList<GenericKubernetesResource>,
          Resource<GenericKubernetesResource>>
      of(KubernetesClient client) {
    return RecordType.TOOL_RUNS.operation().apply(client);
  }
}
