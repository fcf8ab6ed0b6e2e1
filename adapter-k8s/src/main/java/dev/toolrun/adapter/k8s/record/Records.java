package dev.toolrun.adapter.k8s.record;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.k8s.client.ApiErrors;
import dev.toolrun.adapter.k8s.client.Informers;
import dev.toolrun.adapter.k8s.client.KubernetesCluster;
import dev.toolrun.adapter.k8s.job.WorkloadLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * toolrun's records of one kind (tools, instances), each an object of one {@link RecordType}
 * (ConfigMaps, or toolrun's custom resources) labelled {@value #RECORD}: followed by an informer,
 * so reads never reach the API server, and written through the shared rate limiter.
 */
final class Records<T extends HasMetadata> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Records.class);
  static final String RECORD = "toolrun.dev/record";

  private final KubernetesCluster cluster;
  private final RecordType<T> type;
  private final String kind;
  private final Consumer<T> changed;
  private final Consumer<T> removed;
  private volatile SharedIndexInformer<T> informer;

  /**
   * @param type what the records are stored as
   * @param kind the value of the record label, e.g. {@code instance}
   * @param changed told of every record that appears or changes, on the informer's thread (and of
   *     each existing one once more by {@link #start()}): must accept the same record twice
   * @param removed told of every record that is deleted
   */
  Records(
      KubernetesCluster cluster,
      RecordType<T> type,
      String kind,
      Consumer<T> changed,
      Consumer<T> removed) {
    this.cluster = requireNonNull(cluster, "cluster is null");
    this.type = requireNonNull(type, "type is null");
    this.kind = requireNonNull(kind, "kind is null");
    this.changed = requireNonNull(changed, "changed is null");
    this.removed = requireNonNull(removed, "removed is null");
  }

  /** The labels every record of this kind carries. */
  Map<String, String> labels() {
    return Map.of(WorkloadLabels.MANAGED_BY, WorkloadLabels.MANAGER, RECORD, kind);
  }

  /** Starts following the records, once, and waits until every existing one has been seen. */
  void start() {
    if (informer != null) {
      return;
    }
    synchronized (this) {
      if (informer != null) {
        return;
      }
      SharedIndexInformer<T> inform =
          objects().withLabels(labels()).withLimit(Informers.LIST_PAGE).runnableInformer(0);
      inform.addEventHandler(
          new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
              changed.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
              changed.accept(newObj);
            }

            @Override
            public void onDelete(T obj, boolean unknownFinalState) {
              removed.accept(obj);
            }
          });
      inform.exceptionHandler(Informers::retry);
      Informers.start(
          cluster,
          "reading toolrun's %s records in namespace %s".formatted(kind, cluster.namespace()),
          List.of(inform));
      // The informer tells its handlers on a thread of its own, possibly after start() has
      // returned: hand over every record now, so whoever called start() finds them all. The
      // handlers will tell of them again; taking a record twice changes nothing.
      inform.getStore().list().forEach(changed);
      informer = inform;
    }
  }

  /**
   * Stores a new record.
   *
   * @return the stored record, with its uid
   * @throws KubernetesClientException with code 409 when it exists already (for the caller to
   *     explain); any other failure is translated
   */
  T create(T record) {
    cluster.limiter().take(1);
    try {
      return objects().resource(record).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == ApiErrors.CONFLICT) {
        throw e;
      }
      throw ApiErrors.translate(
          e, "storing record " + record.getMetadata().getName(), cluster.server());
    }
  }

  /**
   * Merges {@code patch} (a JSON merge patch) into the record called {@code name}: into its status
   * subresource, if its type has one (the API server ignores everything else there).
   *
   * @return false when there is no such record
   */
  boolean patch(String name, String patch) {
    cluster.limiter().take(1);
    try {
      // Through resource(...), not withName(...): fabric8 would GET the object before patching it.
      var record = objects().resource(type.named().apply(name));
      PatchContext merge = PatchContext.of(PatchType.JSON_MERGE);
      if (type.statusSubresource()) {
        record.subresource("status").patch(merge, patch);
      } else {
        record.patch(merge, patch);
      }
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == ApiErrors.NOT_FOUND) {
        return false;
      }
      throw ApiErrors.translate(e, "updating record " + name, cluster.server());
    }
  }

  /**
   * Merges {@code patch} (a JSON merge patch) into the object called {@code name} itself (its
   * metadata and spec), not its status.
   *
   * @return the patched object
   * @throws KubernetesClientException with code 404 when there is no such object, or 409 when the
   *     patch names a resource version that is not the object's any more (for the caller to
   *     explain); any other failure is translated
   */
  T patchObject(String name, String patch) {
    cluster.limiter().take(1);
    try {
      return objects()
          .resource(type.named().apply(name))
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    } catch (KubernetesClientException e) {
      if (e.getCode() == ApiErrors.NOT_FOUND || e.getCode() == ApiErrors.CONFLICT) {
        throw e;
      }
      throw ApiErrors.translate(e, "updating record " + name, cluster.server());
    }
  }

  /**
   * Takes {@code finalizer} off the record called {@code name}, where the informer last saw it;
   * does nothing when it has none. When its finalizers changed meanwhile it keeps it, for the door
   * to take away once it is deleted.
   */
  void release(String name, String finalizer) {
    SharedIndexInformer<T> i = informer;
    T cached = i == null ? null : i.getStore().getByKey(cluster.namespace() + "/" + name);
    if (cached == null
        || cached.getMetadata().getFinalizers() == null
        || !cached.getMetadata().getFinalizers().contains(finalizer)) {
      return;
    }
    try {
      cluster.limiter().take(1);
      objects()
          .resource(type.named().apply(name))
          .patch(PatchContext.of(PatchType.JSON), Finalizers.releasePatch(cached, finalizer));
    } catch (KubernetesClientException e) {
      LOG.warn("could not take the finalizer off record {}: {}", name, e.getMessage());
    }
  }

  /** Deletes the record called {@code name}, if it exists. */
  void delete(String name) {
    cluster.limiter().take(1);
    try {
      objects().withName(name).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != ApiErrors.NOT_FOUND) {
        throw ApiErrors.translate(e, "deleting record " + name, cluster.server());
      }
    }
  }

  private NonNamespaceOperation<T, ? extends KubernetesResourceList<T>, Resource<T>> objects() {
    return type.operation().apply(cluster.client()).inNamespace(cluster.namespace());
  }

  @Override
  public void close() {
    SharedIndexInformer<T> i = informer;
    if (i != null) {
      Informers.stop(i);
    }
  }
}
