package dev.toolrun.adapter.k8s.record;

import dev.toolrun.adapter.k8s.job.WorkloadLabels;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How an instance is laid out in its record ConfigMap: its name, its labels (its state among them,
 * so {@code kubectl -L toolrun.dev/state} shows it) and its two documents, {@value #LAUNCH} and
 * {@value #STATUS} (see {@link StoredInstance}).
 */
final class InstanceConfigMaps {
  static final String KEY_LABEL = "toolrun.dev/idempotency-key";
  static final String STATE_LABEL = "toolrun.dev/state";
  static final String LAUNCH = "launch.json";
  static final String STATUS = "status.json";

  private InstanceConfigMaps() {}

  static String recordName(InstanceId id) {
    return "toolrun-record-" + id.value();
  }

  /** The record of a new instance, with {@code labels} (the record labels) and its own. */
  static ConfigMap newRecord(Instance instance, Map<String, String> labels) {
    Map<String, String> all = new LinkedHashMap<>(labels);
    all.put(WorkloadLabels.INSTANCE, instance.id().value());
    all.put(WorkloadLabels.TOOL, instance.toolName().value());
    all.put(WorkloadLabels.TOOL_VERSION, Integer.toString(instance.toolVersion()));
    all.put(STATE_LABEL, instance.state().name());
    instance.idempotencyKey().ifPresent(k -> all.put(KEY_LABEL, keyLabel(k.value())));
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(recordName(instance.id()))
        .withLabels(all)
        .endMetadata()
        .addToData(LAUNCH, RecordJson.write(RecordMapper.toStoredLaunch(instance)))
        .build();
  }

  /** The JSON merge patch that stores the state of {@code instance} in its record. */
  static String statusPatch(Instance instance) {
    Map<String, Object> patch =
        Map.of(
            "metadata", Map.of("labels", Map.of(STATE_LABEL, instance.state().name())),
            "data", Map.of(STATUS, RecordJson.write(RecordMapper.toStoredStatus(instance))));
    return RecordJson.write(patch);
  }

  /**
   * The instance a record holds.
   *
   * @throws IllegalArgumentException when it holds none that can be read
   */
  static Instance read(ConfigMap record) {
    Map<String, String> data = record.getData() == null ? Map.of() : record.getData();
    StoredInstance.Launch launch = RecordJson.read(data.get(LAUNCH), StoredInstance.Launch.class);
    Optional<StoredInstance.Status> status =
        Optional.ofNullable(data.get(STATUS))
            .map(s -> RecordJson.read(s, StoredInstance.Status.class));
    return RecordMapper.toDomain(new StoredInstance(launch, status));
  }

  /**
   * The record of {@code id}, with {@code uid}, as an owner of its Job, so deleting the record
   * deletes the Job and everything the Job owns.
   */
  static OwnerReference owner(InstanceId id, String uid) {
    return new OwnerReferenceBuilder()
        .withApiVersion("v1")
        .withKind("ConfigMap")
        .withName(recordName(id))
        .withUid(uid)
        .withBlockOwnerDeletion(false)
        .build();
  }

  /** Label values hold 63 characters; a key may be longer, so the label holds its hash. */
  static String keyLabel(String key) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash).substring(0, 63);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
