package dev.toolrun.adapter.k8s.record;

import dev.toolrun.adapter.k8s.job.WorkloadLabels;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An instance as a ToolRun custom resource (deploy/crds/toolrun.yaml), named by the instance's id:
 * its spec is the launch document in the shape a launch request has ({@code tool}, {@code version},
 * ...), written once with the object; its status is the status document, written through the status
 * subresource. Unlike a ConfigMap record it carries no state label: the status subresource cannot
 * change labels, and {@code kubectl get toolruns} shows the state from the status.
 *
 * <p>toolrun writes the parameters as JSON text, {@code parametersJson}, not as the object {@code
 * parameters}: the API server keeps the numbers of an object as 64-bit integers or doubles, so
 * {@code 1.10} would come back {@code 1.1} and a 30-digit integer rounded, and a launch's
 * parameters must reach its run exactly as given. {@code parameters}, the object, is for a ToolRun
 * written by hand; a record is read from {@code parametersJson} when it has one.
 */
final class InstanceResources implements InstanceLayout<GenericKubernetesResource> {
  static final InstanceResources LAYOUT = new InstanceResources();

  // Launch document field -> ToolRun spec field, where they differ.
  private static final Map<String, String> SPEC_FIELDS =
      Map.of(
          "toolName", "tool",
          "toolVersion", "version",
          "secretNames", "secretInputs",
          "parameters", "parametersJson");

  // Spec fields only a ToolRun written by hand has: what toolrun launched is in the others. Its
  // secretRef is launched as written, and so is a launch document field of the same shape.
  private static final Set<String> HAND_WRITTEN_FIELDS = Set.of("parameters");

  // Status fields others write (the ToolRun door): not part of the record's status document.
  private static final Set<String> FOREIGN_STATUS_FIELDS =
      Set.of(ToolRuns.QUEUE_POSITION, "conditions");

  private InstanceResources() {}

  @Override
  public RecordType<GenericKubernetesResource> type() {
    return RecordType.TOOL_RUNS;
  }

  @Override
  public String recordName(InstanceId id) {
    return id.value();
  }

  @Override
  public GenericKubernetesResource newRecord(Instance instance, Map<String, String> labels) {
    Map<String, Object> launch = RecordJson.object(InstanceConfigMaps.launchDocument(instance));
    Map<String, String> all = InstanceConfigMaps.instanceLabels(instance, labels);
    all.remove(InstanceConfigMaps.STATE_LABEL);
    Map<String, Object> spec = new LinkedHashMap<>();
    launch.forEach(
        (field, value) -> {
          if (field.equals("id")) {
            return;
          }
          spec.put(SPEC_FIELDS.getOrDefault(field, field), value);
        });
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(RecordType.API_VERSION)
        .withKind("ToolRun")
        .withNewMetadata()
        .withName(recordName(instance.id()))
        .withLabels(all)
        .withFinalizers(ToolRuns.FINALIZER)
        .endMetadata()
        .withAdditionalProperties(Map.of("spec", spec))
        .build();
  }

  /**
   * The one JSON merge patch that makes a ToolRun written by hand the record of {@code instance},
   * launched from it: the record labels (the instance's id among them, which is how the record is
   * found by id from then on), the finalizer, and the spec completed as toolrun writes it (the
   * resolved version, the mode, the parameters as text, the idempotency key's fingerprint, the
   * creation time); the fields written by hand stay. It carries the resource version it was made
   * from, so the API server refuses it (409) if the ToolRun changed meanwhile: it is never adopted
   * twice.
   */
  String adoptionPatch(Instance instance, Map<String, String> labels, Adoption adoption) {
    GenericKubernetesResource record = newRecord(instance, labels);
    List<String> finalizers = new ArrayList<>(adoption.finalizers());
    if (!finalizers.contains(ToolRuns.FINALIZER)) {
      finalizers.add(ToolRuns.FINALIZER);
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("resourceVersion", adoption.resourceVersion());
    metadata.put("labels", record.getMetadata().getLabels());
    metadata.put("finalizers", finalizers);
    return RecordJson.write(
        Map.of("metadata", metadata, "spec", record.getAdditionalProperties().get("spec")));
  }

  /**
   * The status document as a JSON merge patch of the status subresource. A merge patch merges
   * objects key by key, so a field the new document no longer has (a health check's error once one
   * passes, a failure's detail of another kind) would stay in the stored status, and the record
   * would come back changed or no longer readable after a restart: every field of the stored status
   * that the document lacks is sent as null, which removes it.
   *
   * <p>{@code queuePosition} is not the record's: the ToolRun door writes it while the run waits
   * for capacity (toolrun writes the status of a waiting run no more). The record's next status
   * write is the run leaving the queue (admitted, or ended), so it removes the position, at no cost
   * of its own.
   */
  @Override
  public String statusPatch(Instance instance) {
    Map<String, Object> status =
        withRemovals(
            RecordJson.object(InstanceConfigMaps.statusDocument(instance)),
            StoredInstance.Status.class);
    status.put(ToolRuns.QUEUE_POSITION, null);
    return RecordJson.write(Map.of("status", status));
  }

  /** {@code document} with null for every field of {@code type} it lacks, nested ones too. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> withRemovals(Map<String, Object> document, Class<?> type) {
    Map<String, Object> patch = new LinkedHashMap<>(document);
    for (RecordComponent field : type.getRecordComponents()) {
      String name = field.getName();
      if (!patch.containsKey(name)) {
        patch.put(name, null);
      } else if (field.getType().isRecord() && patch.get(name) instanceof Map<?, ?> nested) {
        patch.put(name, withRemovals((Map<String, Object>) nested, field.getType()));
      }
    }
    return patch;
  }

  @Override
  @SuppressWarnings("unchecked")
  public Instance read(GenericKubernetesResource record) {
    Map<String, Object> spec =
        (Map<String, Object>)
            Optional.ofNullable(record.getAdditionalProperties().get("spec"))
                .orElseThrow(() -> new IllegalArgumentException("the ToolRun has no spec"));
    Map<String, String> launchFields = new LinkedHashMap<>();
    SPEC_FIELDS.forEach((launchField, specField) -> launchFields.put(specField, launchField));
    Map<String, Object> launch = new LinkedHashMap<>();
    // A ToolRun written by hand and adopted has a name of its own; its id is in the label.
    Map<String, String> labels = record.getMetadata().getLabels();
    launch.put(
        "id",
        labels != null && labels.containsKey(WorkloadLabels.INSTANCE)
            ? labels.get(WorkloadLabels.INSTANCE)
            : record.getMetadata().getName());
    spec.forEach(
        (field, value) -> {
          if (!HAND_WRITTEN_FIELDS.contains(field)) {
            launch.put(launchFields.getOrDefault(field, field), value);
          }
        });
    launch.putIfAbsent(
        "parameters",
        RecordJson.write(Optional.ofNullable(spec.get("parameters")).orElse(Map.of())));
    Map<String, Object> status =
        Optional.ofNullable((Map<String, Object>) record.getAdditionalProperties().get("status"))
            .map(LinkedHashMap::new)
            .orElse(null);
    if (status != null) {
      // A waiting run's status may hold nothing else: it has no status document yet.
      status.keySet().removeAll(FOREIGN_STATUS_FIELDS);
    }
    return RecordMapper.toDomain(
        new StoredInstance(
            RecordJson.fromMap(launch, StoredInstance.Launch.class),
            Optional.ofNullable(status)
                .filter(s -> !s.isEmpty())
                .map(s -> RecordJson.fromMap(s, StoredInstance.Status.class))));
  }

  @Override
  public OwnerReference owner(String name, String uid) {
    return new OwnerReferenceBuilder()
        .withApiVersion(RecordType.API_VERSION)
        .withKind("ToolRun")
        .withName(name)
        .withUid(uid)
        .withBlockOwnerDeletion(false)
        .build();
  }
}
