package dev.toolrun.app;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Asks the API server what the client's own identity may do (kubectl auth can-i). */
final class RbacProbe {
  private final KubernetesClient client;
  private final String namespace;

  RbacProbe(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /**
   * Whether the identity may {@code verb} {@code resource} (possibly {@code resource/sub}) of
   * {@code group}.
   */
  boolean allowed(String verb, String group, String resource) {
    return allowed(verb, group, resource, null);
  }

  /** Whether the identity may {@code verb} the object {@code name} of {@code resource}. */
  boolean allowed(String verb, String group, String resource, String name) {
    String[] parts = resource.split("/", 2);
    SelfSubjectAccessReview review =
        new SelfSubjectAccessReviewBuilder()
            .withNewSpec()
            .withNewResourceAttributes()
            .withNamespace(namespace)
            .withVerb(verb)
            .withGroup(group)
            .withResource(parts[0])
            .withSubresource(parts.length > 1 ? parts[1] : null)
            .withName(name)
            .endResourceAttributes()
            .endSpec()
            .build();
    return client
        .authorization()
        .v1()
        .selfSubjectAccessReview()
        .create(review)
        .getStatus()
        .getAllowed();
  }
}
