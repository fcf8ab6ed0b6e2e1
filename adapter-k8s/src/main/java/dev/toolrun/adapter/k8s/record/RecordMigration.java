package dev.toolrun.adapter.k8s.record;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.k8s.client.ApiErrors;
import dev.toolrun.adapter.k8s.client.KubernetesCluster;
import dev.toolrun.adapter.k8s.job.WorkloadLabels;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.tool.Tool;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the records an older toolrun kept as ConfigMaps to the Tool and ToolRun resources, on the
 * first start with {@code kubernetes.records=resources} and before the repositories read anything.
 * Each record is read with the ConfigMap layout (so every stored format the golden fixtures hold is
 * read), written as its resource, and only then removed; an instance's Job is first given its
 * ToolRun as owner, since deleting the ConfigMap that owned it would otherwise delete the Job of a
 * run that is still going. Every step can be done twice, so a migration that was interrupted
 * (toolrun killed, the API server away) resumes where it was at the next start: what is already a
 * resource is brought up to date from its ConfigMap, which stays the truth until it is gone.
 *
 * <p>A record that cannot be read is left where it is, and said so; nothing is lost by a failed
 * read.
 */
public final class RecordMigration {
  private static final Logger LOG = LoggerFactory.getLogger(RecordMigration.class);

  /** What a migration moved. */
  public record Moved(int tools, int instances, int unreadable) {}

  private final KubernetesCluster cluster;

  public RecordMigration(KubernetesCluster cluster) {
    this.cluster = requireNonNull(cluster, "cluster is null");
  }

  /**
   * Moves every ConfigMap record there is.
   *
   * @throws dev.toolrun.domain.error.RuntimeUnavailableException when the API server cannot be
   *     reached; what was moved so far stays moved
   */
  public Moved run() {
    int tools = 0;
    int instances = 0;
    int unreadable = 0;
    for (ConfigMap record : records("tool")) {
      if (moveTool(record)) {
        tools++;
      } else {
        unreadable++;
      }
    }
    for (ConfigMap record : records("instance")) {
      if (moveInstance(record)) {
        instances++;
      } else {
        unreadable++;
      }
    }
    Moved moved = new Moved(tools, instances, unreadable);
    if (tools + instances + unreadable > 0) {
      LOG.info(
          "moved {} tool versions and {} instances from ConfigMap records to Tool and ToolRun"
              + " resources; {} records could not be read and were left as they are",
          tools,
          instances,
          unreadable);
    }
    return moved;
  }

  private List<ConfigMap> records(String kind) {
    try {
      return cluster
          .client()
          .configMaps()
          .inNamespace(cluster.namespace())
          .withLabels(labels(kind))
          .list()
          .getItems();
    } catch (KubernetesClientException e) {
      throw ApiErrors.translate(e, "listing ConfigMap records to move", cluster.server());
    }
  }

  private boolean moveTool(ConfigMap record) {
    Tool tool;
    try {
      tool = ToolConfigMaps.LAYOUT.decode(record);
    } catch (RuntimeException e) {
      LOG.warn("not moving tool record {}: {}", record.getMetadata().getName(), e.getMessage());
      return false;
    }
    String name = ToolResources.LAYOUT.recordName(tool.name(), tool.version());
    createUnlessThere(ToolResources.LAYOUT.encode(tool, labels("tool")), RecordType.TOOLS);
    patchStatus(RecordType.TOOLS, name, ToolResources.LAYOUT.registeredStatus(tool).orElseThrow());
    delete(record);
    return true;
  }

  private boolean moveInstance(ConfigMap record) {
    Instance instance;
    try {
      instance = InstanceConfigMaps.read(record);
    } catch (RuntimeException e) {
      LOG.warn("not moving instance record {}: {}", record.getMetadata().getName(), e.getMessage());
      return false;
    }
    String name = InstanceResources.LAYOUT.recordName(instance.id());
    GenericKubernetesResource run =
        createUnlessThere(
            InstanceResources.LAYOUT.newRecord(instance, labels("instance")), RecordType.TOOL_RUNS);
    patchStatus(RecordType.TOOL_RUNS, name, InstanceResources.LAYOUT.statusPatch(instance));
    OwnerReference owner = InstanceResources.LAYOUT.owner(name, run.getMetadata().getUid());
    for (Job job : jobsOf(instance.id().value())) {
      write(
          "giving Job " + job.getMetadata().getName() + " its ToolRun as owner",
          () ->
              cluster
                  .client()
                  .batch()
                  .v1()
                  .jobs()
                  .inNamespace(cluster.namespace())
                  .resource(job)
                  .patch(
                      PatchContext.of(PatchType.JSON_MERGE),
                      RecordJson.write(
                          Map.of("metadata", Map.of("ownerReferences", List.of(owner))))));
    }
    delete(record);
    return true;
  }

  /** The resource, created now or by an earlier, interrupted migration. */
  private GenericKubernetesResource createUnlessThere(
      GenericKubernetesResource resource, RecordType<GenericKubernetesResource> type) {
    var objects = type.operation().apply(cluster.client()).inNamespace(cluster.namespace());
    cluster.limiter().take(1);
    try {
      return objects.resource(resource).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != ApiErrors.CONFLICT) {
        throw ApiErrors.translate(
            e, "moving record " + resource.getMetadata().getName(), cluster.server());
      }
    }
    // By list, not get: toolrun's Role lets it list and watch its records, never read one by name.
    cluster.limiter().take(1);
    return objects
        .withField("metadata.name", resource.getMetadata().getName())
        .list()
        .getItems()
        .stream()
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "record " + resource.getMetadata().getName() + " exists and cannot be found"));
  }

  private void patchStatus(RecordType<GenericKubernetesResource> type, String name, String status) {
    write(
        "storing the status of moved record " + name,
        () ->
            type.operation()
                .apply(cluster.client())
                .inNamespace(cluster.namespace())
                .resource(type.named().apply(name))
                .subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), status));
  }

  private List<Job> jobsOf(String instance) {
    try {
      return jobs(instance);
    } catch (KubernetesClientException e) {
      throw ApiErrors.translate(e, "listing the Jobs of instance " + instance, cluster.server());
    }
  }

  private List<Job> jobs(String instance) {
    return cluster
        .client()
        .batch()
        .v1()
        .jobs()
        .inNamespace(cluster.namespace())
        .withLabel(WorkloadLabels.INSTANCE, instance)
        .list()
        .getItems();
  }

  private void delete(ConfigMap record) {
    write(
        "removing moved record " + record.getMetadata().getName(),
        () ->
            cluster
                .client()
                .configMaps()
                .inNamespace(cluster.namespace())
                .withName(record.getMetadata().getName())
                .delete());
  }

  /** One write, through the rate limit, its failure translated. */
  private void write(String what, Runnable request) {
    cluster.limiter().take(1);
    try {
      request.run();
    } catch (KubernetesClientException e) {
      throw ApiErrors.translate(e, what, cluster.server());
    }
  }

  private static Map<String, String> labels(String kind) {
    return Map.of(WorkloadLabels.MANAGED_BY, WorkloadLabels.MANAGER, Records.RECORD, kind);
  }
}
