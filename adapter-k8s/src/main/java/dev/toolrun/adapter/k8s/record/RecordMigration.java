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
import java.util.Optional;
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
 * read. So is a tool version whose name a Tool registered since already holds with another spec
 * (toolrun started once without the right to see the ConfigMaps): the ConfigMap stays, for an
 * operator to settle, rather than being deleted for a resource that is not its copy.
 *
 * <p>The rights to list and delete ConfigMaps are an upgrade's only (deploy/upgrade/), not in the
 * Role toolrun runs with: when the list is forbidden, the migration says that it could not check
 * for records of an older toolrun and how to grant it, and toolrun starts without them. Nothing is
 * lost: the ConfigMaps stay, and the next start with the upgrade Role bound moves them. A delete
 * that is forbidden once the list was allowed stops the start instead, since a ConfigMap left
 * behind after its move would be taken for the truth by the next migration.
 */
public final class RecordMigration {
  private static final Logger LOG = LoggerFactory.getLogger(RecordMigration.class);

  /**
   * What a migration moved, and how many records it left where they are (unreadable, or a tool
   * version that a different Tool took since); {@code checked} is false when toolrun was not
   * allowed to list ConfigMaps, so it could not look for records at all.
   */
  public record Moved(int tools, int instances, int leftInPlace, boolean checked) {
    /** Nothing to move, or nothing looked at: toolrun could not list the ConfigMaps. */
    public static final Moved NOT_CHECKED = new Moved(0, 0, 0, false);

    public Moved {
      if (tools < 0 || instances < 0 || leftInPlace < 0) {
        throw new IllegalArgumentException("a count below 0");
      }
      if (!checked && tools + instances + leftInPlace > 0) {
        throw new IllegalArgumentException("records moved without being looked for");
      }
    }
  }

  private static final int FORBIDDEN = 403;

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
    Optional<List<ConfigMap>> toolRecords = records("tool");
    Optional<List<ConfigMap>> instanceRecords = toolRecords.flatMap(any -> records("instance"));
    if (instanceRecords.isEmpty()) {
      LOG.warn(
          "could not check namespace {} for ConfigMap records of an older toolrun (toolrun may not"
              + " list ConfigMaps there): any it holds are not in the catalog until they are moved;"
              + " to upgrade an installation that kept its records as ConfigMaps, bind the Role of"
              + " deploy/upgrade/ and restart toolrun (docs/operations.md, \"Upgrading\"). A new"
              + " installation has none.",
          cluster.namespace());
      return Moved.NOT_CHECKED;
    }
    int tools = 0;
    int instances = 0;
    int leftInPlace = 0;
    for (ConfigMap record : toolRecords.orElseThrow()) {
      if (moveTool(record)) {
        tools++;
      } else {
        leftInPlace++;
      }
    }
    for (ConfigMap record : instanceRecords.orElseThrow()) {
      if (moveInstance(record)) {
        instances++;
      } else {
        leftInPlace++;
      }
    }
    Moved moved = new Moved(tools, instances, leftInPlace, true);
    LOG.info(
        "record migration finished in namespace {}: moved {} tool versions and {} instances from"
            + " ConfigMap records to Tool and ToolRun resources; {} records were left as they are"
            + " (each logged above)",
        cluster.namespace(),
        tools,
        instances,
        leftInPlace);
    return moved;
  }

  /** The ConfigMap records of {@code kind}, or nothing when toolrun may not list ConfigMaps. */
  private Optional<List<ConfigMap>> records(String kind) {
    cluster.limiter().take(1);
    try {
      return Optional.of(
          cluster
              .client()
              .configMaps()
              .inNamespace(cluster.namespace())
              .withLabels(labels(kind))
              .list()
              .getItems());
    } catch (KubernetesClientException e) {
      if (e.getCode() == FORBIDDEN) {
        return Optional.empty();
      }
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
    GenericKubernetesResource there =
        createUnlessThere(ToolResources.LAYOUT.encode(tool, labels("tool")), RecordType.TOOLS);
    if (!holds(there, tool)) {
      LOG.warn(
          "not moving tool record {}: Tool {} was registered since with another spec and keeps"
              + " version {}; the ConfigMap is left as it is (compare them, then delete the one"
              + " not wanted)",
          record.getMetadata().getName(),
          name,
          tool.version());
      return false;
    }
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

  /**
   * Whether {@code there}, the Tool of that name, holds {@code tool}: an earlier, interrupted
   * migration wrote it (same spec, same registration time), rather than a registration since.
   * Compared as tools, since the API server gives the spec back with its keys in its own order.
   */
  private static boolean holds(GenericKubernetesResource there, Tool tool) {
    try {
      return ToolResources.LAYOUT.decode(there).equals(tool);
    } catch (RuntimeException unreadable) {
      return false;
    }
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
