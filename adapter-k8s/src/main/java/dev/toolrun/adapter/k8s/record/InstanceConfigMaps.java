package dev.toolrun.adapter.k8s.record;

import dev.toolrun.adapter.k8s.job.WorkloadLabels;
import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.LogTail;
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

  /**
   * What a record's two documents may take together: Kubernetes keeps at most 1 MiB in one
   * ConfigMap (data and metadata), less room for its metadata.
   */
  static final int MAX_DOCUMENTS_BYTES = 1_000_000;

  /**
   * What the launch document may take, so that its status always fits beside it: a status holds the
   * result (64 KiB at most), the history and the log tail, which is cut to fit.
   */
  static final int MAX_LAUNCH_BYTES = 512 * 1024;

  private static final int MAX_STATUS_BYTES = MAX_DOCUMENTS_BYTES - MAX_LAUNCH_BYTES;

  /** The layout of record ConfigMaps, for the repository. */
  static final InstanceLayout<ConfigMap> LAYOUT =
      new InstanceLayout<>() {
        @Override
        public RecordType<ConfigMap> type() {
          return RecordType.CONFIG_MAPS;
        }

        @Override
        public String recordName(InstanceId id) {
          return InstanceConfigMaps.recordName(id);
        }

        @Override
        public ConfigMap newRecord(Instance instance, Map<String, String> labels) {
          return InstanceConfigMaps.newRecord(instance, labels);
        }

        @Override
        public String statusPatch(Instance instance) {
          return InstanceConfigMaps.statusPatch(instance);
        }

        @Override
        public Instance read(ConfigMap record) {
          return InstanceConfigMaps.read(record);
        }

        @Override
        public OwnerReference owner(String name, String uid) {
          return InstanceConfigMaps.owner(name, uid);
        }
      };

  private InstanceConfigMaps() {}

  static String recordName(InstanceId id) {
    return "toolrun-record-" + id.value();
  }

  /**
   * The record of a new instance, with {@code labels} (the record labels) and its own.
   *
   * @throws ValidationException when its launch document would take more than {@link
   *     #MAX_LAUNCH_BYTES}: refused before anything is written, rather than accepted and then
   *     refused by the API server, or left without room for its status
   */
  static ConfigMap newRecord(Instance instance, Map<String, String> labels) {
    String launch = launchDocument(instance);
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(recordName(instance.id()))
        .withLabels(instanceLabels(instance, labels))
        .endMetadata()
        .addToData(LAUNCH, launch)
        .build();
  }

  /**
   * The launch document of {@code instance}, as any record holds it.
   *
   * @throws ValidationException when it would take more than {@link #MAX_LAUNCH_BYTES}
   */
  static String launchDocument(Instance instance) {
    String launch = RecordJson.write(RecordMapper.toStoredLaunch(instance));
    int launchBytes = launch.getBytes(StandardCharsets.UTF_8).length;
    if (launchBytes > MAX_LAUNCH_BYTES) {
      throw ValidationException.of(
          "parameters",
          ("make a record of %d bytes, more than the %d bytes toolrun keeps for a launch in its"
                  + " record (a Kubernetes ConfigMap, which holds at most 1 MiB): pass large inputs"
                  + " by reference, e.g. a URL or a volume")
              .formatted(launchBytes, MAX_LAUNCH_BYTES));
    }
    return launch;
  }

  /**
   * The labels of the record of {@code instance}: {@code labels} (the record labels) and its own.
   */
  static Map<String, String> instanceLabels(Instance instance, Map<String, String> labels) {
    Map<String, String> all = new LinkedHashMap<>(labels);
    all.put(WorkloadLabels.INSTANCE, instance.id().value());
    all.put(WorkloadLabels.TOOL, instance.toolName().value());
    all.put(WorkloadLabels.TOOL_VERSION, Integer.toString(instance.toolVersion()));
    all.put(STATE_LABEL, instance.state().name());
    instance.idempotencyKey().ifPresent(k -> all.put(KEY_LABEL, keyLabel(k.value())));
    return all;
  }

  /**
   * The JSON merge patch that stores the state of {@code instance} in its record. A status that
   * would not fit beside the launch keeps fewer of the log tail's last lines (halving them until it
   * fits), so that an end is always stored; the tail's total line count stays true.
   */
  static String statusPatch(Instance instance) {
    Map<String, Object> patch =
        Map.of(
            "metadata", Map.of("labels", Map.of(STATE_LABEL, instance.state().name())),
            "data", Map.of(STATUS, statusDocument(instance)));
    return RecordJson.write(patch);
  }

  /**
   * The status document of {@code instance}, as any record holds it: its log tail cut to fit, as
   * {@link #statusPatch} says.
   */
  static String statusDocument(Instance instance) {
    String status = RecordJson.write(RecordMapper.toStoredStatus(instance));
    Instance fitted = instance;
    while (status.getBytes(StandardCharsets.UTF_8).length > MAX_STATUS_BYTES
        && fitted.logTail().map(tail -> !tail.lines().isEmpty()).orElse(false)) {
      LogTail tail = fitted.logTail().orElseThrow();
      fitted = fitted.withLogTail(tail.keepingLast(tail.lines().size() / 2));
      status = RecordJson.write(RecordMapper.toStoredStatus(fitted));
    }
    return status;
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
   * The record called {@code name}, with {@code uid}, as an owner of its Job, so deleting the
   * record deletes the Job and everything the Job owns.
   */
  static OwnerReference owner(String name, String uid) {
    return new OwnerReferenceBuilder()
        .withApiVersion("v1")
        .withKind("ConfigMap")
        .withName(name)
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
