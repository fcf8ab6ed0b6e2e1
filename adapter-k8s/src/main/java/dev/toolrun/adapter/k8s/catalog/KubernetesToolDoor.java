package dev.toolrun.adapter.k8s.catalog;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.k8s.KubernetesDoor;
import dev.toolrun.adapter.k8s.ToolRequestReader;
import dev.toolrun.adapter.k8s.client.ApiErrors;
import dev.toolrun.adapter.k8s.client.Informers;
import dev.toolrun.adapter.k8s.client.KubernetesCluster;
import dev.toolrun.adapter.k8s.job.WorkloadLabels;
import dev.toolrun.adapter.k8s.record.Tools;
import dev.toolrun.ports.in.RegisterToolUseCase;
import dev.toolrun.ports.out.Leadership;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubectl door to the catalog: follows the Tool objects without the version label (the
 * registration requests people apply; deploy/crds/tool.yaml), registers each new generation as
 * {@code PUT /v1/tools/{name}} would ({@link ToolRequests}), and answers on the request's status
 * subresource. It needs of the Role only what the record store has: tools list and watch, and
 * tools/status patch.
 *
 * <p>Registrations run on a thread of the door's own, one at a time, so that the informer's thread
 * never waits on the API server and two generations of one request are registered in order. The
 * informer hands every request over again every {@link #RESYNC}: what could not be registered (the
 * API server unavailable), or waited while this replica stood by, is tried then; what was answered
 * is skipped without a request.
 *
 * <p>Deleting a request does nothing: the versions it registered are the tool's, as those of a PUT
 * are, and {@code DELETE /v1/tools/{name}} deletes a tool (docs/architecture.md says why).
 */
public final class KubernetesToolDoor implements KubernetesDoor {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesToolDoor.class);
  static final Duration RESYNC = Duration.ofSeconds(30);

  private final KubernetesCluster cluster;
  private final ToolRequests requests;
  private final Clock clock;
  private final ExecutorService registering =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "toolrun-tool-door");
            t.setDaemon(true);
            return t;
          });
  private volatile SharedIndexInformer<GenericKubernetesResource> informer;

  public KubernetesToolDoor(
      KubernetesCluster cluster,
      RegisterToolUseCase register,
      Leadership leadership,
      ToolRequestReader reader,
      Clock clock) {
    this.cluster = requireNonNull(cluster, "cluster is null");
    this.requests = new ToolRequests(register, leadership, reader);
    this.clock = requireNonNull(clock, "clock is null");
  }

  @Override
  public synchronized void start() {
    if (informer != null) {
      return;
    }
    SharedIndexInformer<GenericKubernetesResource> inform =
        Tools.of(cluster.client())
            .inNamespace(cluster.namespace())
            .withoutLabel(WorkloadLabels.TOOL_VERSION)
            .withLimit(Informers.LIST_PAGE)
            .runnableInformer(RESYNC.toMillis());
    inform.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(GenericKubernetesResource tool) {
            registering.execute(() -> handle(tool));
          }

          @Override
          public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource tool) {
            registering.execute(() -> handle(tool));
          }

          @Override
          public void onDelete(GenericKubernetesResource tool, boolean unknownFinalState) {
            // Nothing becomes of the versions (see the class comment); only the door forgets it.
            String name = tool.getMetadata().getName();
            registering.execute(() -> requests.forget(name));
          }
        });
    inform.exceptionHandler(Informers::retry);
    Informers.start(
        cluster,
        "reading Tool registration requests in namespace %s".formatted(cluster.namespace()),
        List.of(inform));
    informer = inform;
  }

  private void handle(GenericKubernetesResource tool) {
    String name = tool.getMetadata().getName();
    try {
      ToolRequest request = ToolRequest.of(tool);
      requests
          .answer(request)
          .ifPresent(
              answer -> {
                answer(name, answer.status(request.generation(), clock.instant()));
                requests.answered(request);
                LOG.info(
                    "answered Tool request {} (generation {}): {}",
                    name,
                    request.generation(),
                    answer);
              });
    } catch (RuntimeException e) {
      LOG.warn(
          "could not answer Tool request {} now, trying again within {} s: {}",
          name,
          RESYNC.toSeconds(),
          e.getMessage());
    }
  }

  private void answer(String name, Object status) {
    cluster.limiter().take(1);
    try {
      Tools.of(cluster.client())
          .inNamespace(cluster.namespace())
          // Through resource(...), not withName(...): fabric8 would GET the object first.
          .resource(Tools.named(name))
          .subresource("status")
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              cluster.client().getKubernetesSerialization().asJson(status));
    } catch (KubernetesClientException e) {
      if (e.getCode() != ApiErrors.NOT_FOUND) {
        throw ApiErrors.translate(e, "answering Tool request " + name, cluster.server());
      }
      // Deleted since: nobody to answer.
    }
  }

  @Override
  public void close() {
    SharedIndexInformer<GenericKubernetesResource> i = informer;
    if (i != null) {
      Informers.stop(i);
    }
    registering.shutdownNow();
  }
}
