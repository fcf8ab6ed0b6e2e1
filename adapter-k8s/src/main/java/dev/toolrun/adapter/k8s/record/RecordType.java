package dev.toolrun.adapter.k8s.record;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.function.Function;

/**
 * What toolrun's records are stored as: ConfigMaps, or its own custom resources (deploy/crds/).
 *
 * @param operation the API of these objects
 * @param named an object with only a name, to address one without reading it first
 * @param statusSubresource whether what toolrun observes is written to the status subresource
 */
record RecordType<T extends io.fabric8.kubernetes.api.model.HasMetadata>(
    Function<KubernetesClient, MixedOperation<T, ? extends KubernetesResourceList<T>, Resource<T>>>
        operation,
    Function<String, T> named,
    boolean statusSubresource) {
  static final String GROUP = "toolrun.dev";
  static final String VERSION = "v1alpha1";
  static final String API_VERSION = GROUP + "/" + VERSION;

  static final RecordType<ConfigMap> CONFIG_MAPS =
      new RecordType<>(
          KubernetesClient::configMaps,
          name -> new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().build(),
          false);

  /** Tool versions, deploy/crds/tool.yaml. */
  static final RecordType<GenericKubernetesResource> TOOLS = custom("Tool", "tools");

  /** Instances, deploy/crds/toolrun.yaml. */
  static final RecordType<GenericKubernetesResource> TOOL_RUNS = custom("ToolRun", "toolruns");

  // Generic resources rather than typed classes: the stored documents (StoredTool,
  // StoredInstance) are already toolrun's one description of the format, and a second set of
  // classes would be a second place to keep in step with it.
  private static RecordType<GenericKubernetesResource> custom(String kind, String plural) {
    ResourceDefinitionContext context =
        new ResourceDefinitionContext.Builder()
            .withGroup(GROUP)
            .withVersion(VERSION)
            .withKind(kind)
            .withPlural(plural)
            .withNamespaced(true)
            .build();
    return new RecordType<>(
        client -> client.genericKubernetesResources(context),
        name ->
            new GenericKubernetesResourceBuilder()
                .withApiVersion(API_VERSION)
                .withKind(kind)
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .build(),
        true);
  }
}
