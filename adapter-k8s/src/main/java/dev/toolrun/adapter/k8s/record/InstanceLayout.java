package dev.toolrun.adapter.k8s.record;

import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.Map;

/**
 * How an instance is laid out in its record, one per {@link RecordType}: a record is created with
 * what was launched, and what became of it is merged in by {@link #statusPatch}.
 */
interface InstanceLayout<T extends HasMetadata> {
  RecordType<T> type();

  String recordName(InstanceId id);

  /**
   * The record of a new instance, with {@code labels} (the record labels) and its own.
   *
   * @throws dev.toolrun.domain.error.ValidationException when its launch is too large to keep
   */
  T newRecord(Instance instance, Map<String, String> labels);

  /** The JSON merge patch that stores the state of {@code instance} in its record. */
  String statusPatch(Instance instance);

  /**
   * The instance a record holds.
   *
   * @throws IllegalArgumentException when it holds none that can be read
   */
  Instance read(T record);

  /**
   * The record called {@code name}, with {@code uid}, as the owner of its Job, so deleting the
   * record deletes the Job and everything the Job owns.
   */
  OwnerReference owner(String name, String uid);
}
