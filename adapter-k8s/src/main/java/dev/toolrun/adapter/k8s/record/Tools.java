package dev.toolrun.adapter.k8s.record;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;

/**
 * The Tool custom resource as the door for Tools applied with kubectl sees it: the API the record
 * store keeps tool versions in, so both address the one CRD of deploy/crds/tool.yaml the same way.
 */
public final class Tools {
  private Tools() {}

  /** The Tools API of {@code client}. */
  public static MixedOperation<
          GenericKubernetesResource,
          ? extends KubernetesResourceList<GenericKubernetesResource>,
          Resource<GenericKubernetesResource>>
      of(KubernetesClient client) {
    return RecordType.TOOLS.operation().apply(client);
  }

  /** A Tool with only the name {@code name}, to address it without reading it first. */
  public static GenericKubernetesResource named(String name) {
    return RecordType.TOOLS.named().apply(name);
  }
}
