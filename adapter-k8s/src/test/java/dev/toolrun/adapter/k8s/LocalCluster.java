package dev.toolrun.adapter.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A namespace of its own on the local cluster ({@code ../shared/kube-local}), where toolrun acts as
 * the cluster's unprivileged {@code runner} user with only the Role of {@code deploy/rbac.yaml}
 * bound: the cluster suite proves that Role is enough. The CRDs of {@code deploy/crds/} are
 * installed first, as the cluster administrator's step of an install; a test that needs more (an
 * upgrade, the ConfigMap records) binds that Role as well ({@link #bindRole}).
 *
 * <p>The kubeconfig comes from {@code KUBECONFIG}; its context {@code kube-local} is the
 * administrator that prepares the namespace, {@code kube-local-runner} is the runner.
 */
public final class LocalCluster implements AutoCloseable {
  public static final String ADMIN_CONTEXT =
      System.getProperty("toolrun.it.admin-context", "kube-local");
  public static final String RUNNER_CONTEXT =
      System.getProperty("toolrun.it.runner-context", "kube-local-runner");
  public static final String RUNNER_USER = System.getProperty("toolrun.it.runner-user", "runner");

  private final KubernetesClient admin;
  private final KubernetesClient runner;
  private final String namespace;

  private LocalCluster(KubernetesClient admin, KubernetesClient runner, String namespace) {
    this.admin = admin;
    this.runner = runner;
    this.namespace = namespace;
  }

  /** The Role an upgrade from ConfigMap records binds for toolrun's first start. */
  public static final String UPGRADE_ROLE = "deploy/upgrade/rbac.yaml";

  /** The Role that records kept as ConfigMaps ({@code kubernetes.records=configmaps}) need. */
  public static final String CONFIG_MAP_RECORDS_ROLE = "deploy/configmap-records/rbac.yaml";

  /**
   * A fresh namespace with toolrun's Role bound to the runner user, on a cluster with toolrun's
   * CRDs installed.
   */
  public static LocalCluster start() {
    installCrds();
    LocalCluster cluster = withoutRole();
    cluster.bindRole("deploy/rbac.yaml");
    return cluster;
  }

  /** A fresh namespace in which the runner user may do nothing. */
  public static LocalCluster withoutRole() {
    KubernetesClient admin = client(ADMIN_CONTEXT);
    String namespace =
        "toolrun-it-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(namespace)
                .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
                .addToLabels("pod-security.kubernetes.io/enforce-version", "latest")
                .endMetadata()
                .build())
        .create();
    return new LocalCluster(admin, client(RUNNER_CONTEXT), namespace);
  }

  /**
   * Binds the Role of {@code manifest} (a file of the repository, such as {@link #UPGRADE_ROLE}) to
   * the runner user in this namespace, as an operator applying it would.
   */
  public void bindRole(String manifest) {
    Role role = role(manifest);
    admin.rbac().roles().inNamespace(namespace).resource(role).create();
    admin
        .rbac()
        .roleBindings()
        .inNamespace(namespace)
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName(role.getMetadata().getName() + "-runner")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", role.getMetadata().getName())
                .addNewSubject()
                .withKind("User")
                .withApiGroup("rbac.authorization.k8s.io")
                .withName(RUNNER_USER)
                .endSubject()
                .build())
        .create();
    awaitInEffect(role);
  }

  /**
   * Waits until the API server's authorizer lets the runner do what {@code role}'s first rule
   * allows: it reads bindings from a cache of its own, so a request right after the binding's
   * create may still be refused (seen: a migration run at once found it could not list).
   */
  private void awaitInEffect(Role role) {
    var rule = role.getRules().get(0);
    var review =
        new io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder()
            .withNewSpec()
            .withUser(RUNNER_USER)
            .withNewResourceAttributes()
            .withNamespace(namespace)
            .withGroup(rule.getApiGroups().get(0))
            .withResource(rule.getResources().get(0))
            .withVerb(rule.getVerbs().get(0))
            .endResourceAttributes()
            .endSpec()
            .build();
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(
            () ->
                Boolean.TRUE.equals(
                    admin
                        .authorization()
                        .v1()
                        .subjectAccessReview()
                        .create(review)
                        .getStatus()
                        .getAllowed()));
  }

  /** Removes what {@link #bindRole} bound, as an operator does after an upgrade. */
  public void unbindRole(String manifest) {
    Role role = role(manifest);
    admin
        .rbac()
        .roleBindings()
        .inNamespace(namespace)
        .withName(role.getMetadata().getName() + "-runner")
        .delete();
    admin.rbac().roles().inNamespace(namespace).withName(role.getMetadata().getName()).delete();
  }

  /** The Role shipped in {@code deploy/rbac.yaml}, read from the repository. */
  public static Role deployedRole() {
    return role("deploy/rbac.yaml");
  }

  private static Role role(String file) {
    Path manifest = repositoryRoot().resolve(file);
    try (InputStream in = Files.newInputStream(manifest)) {
      List<HasMetadata> objects;
      try (KubernetesClient parser =
          new KubernetesClientBuilder().withConfig(Config.empty()).build()) {
        objects = parser.load(in).items();
      }
      return objects.stream()
          .filter(Role.class::isInstance)
          .map(Role.class::cast)
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("no Role in " + manifest));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Installs toolrun's custom resource definitions (deploy/crds/) as the cluster administrator
   * would, and waits until the API server serves them. Shared by every test and never removed:
   * applying them again changes nothing, and removing them would delete every other test's
   * resources of these kinds.
   */
  public static void installCrds() {
    try (KubernetesClient admin = client(ADMIN_CONTEXT)) {
      for (String file : List.of("deploy/crds/tool.yaml", "deploy/crds/toolrun.yaml")) {
        try (InputStream in = Files.newInputStream(repositoryRoot().resolve(file))) {
          for (HasMetadata crd : admin.load(in).items()) {
            admin.resource(crd).forceConflicts().fieldManager("toolrun-tests").serverSideApply();
            admin
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName(crd.getMetadata().getName())
                .waitUntilCondition(
                    c ->
                        // A CRD the server has just taken has a status without conditions yet.
                        c.getStatus() != null
                            && c.getStatus().getConditions() != null
                            && c.getStatus().getConditions().stream()
                                .anyMatch(
                                    k ->
                                        k.getType().equals("Established")
                                            && k.getStatus().equals("True")),
                    60,
                    java.util.concurrent.TimeUnit.SECONDS);
          }
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    }
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("deploy/rbac.yaml"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(
          "cannot find deploy/rbac.yaml above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  private static KubernetesClient client(String context) {
    return new KubernetesClientBuilder().withConfig(Config.autoConfigure(context)).build();
  }

  /** The administrator, for preparing and inspecting; never what toolrun runs as. */
  public KubernetesClient admin() {
    return admin;
  }

  /** The runner user, with only toolrun's Role: what toolrun runs as. */
  public KubernetesClient runner() {
    return runner;
  }

  public String namespace() {
    return namespace;
  }

  /** toolrun's finalizer on ToolRuns (ToolRuns.FINALIZER), spelled out: see close(). */
  private static final String TOOLRUN_FINALIZER = "toolrun.dev/cancel";

  /**
   * Deletes the namespace. Its ToolRuns of runs that never ended (fixtures, a toolrun stopped
   * mid-run) keep toolrun's finalizer, which no toolrun is left to take off, so they are let go
   * first, as docs/operations.md tells an operator to; else the namespace would stay Terminating.
   */
  @Override
  public void close() {
    // Named here, not through the adapter's ToolRuns: modules without adapter-k8s's classes on
    // their test path (cli) use this class too.
    var toolRuns =
        admin
            .genericKubernetesResources(
                new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.Builder()
                    .withGroup("toolrun.dev")
                    .withVersion("v1alpha1")
                    .withPlural("toolruns")
                    .withKind("ToolRun")
                    .withNamespaced(true)
                    .build())
            .inNamespace(namespace);
    try {
      for (var run : toolRuns.list().getItems()) {
        if (run.getMetadata().getFinalizers() != null
            && run.getMetadata().getFinalizers().contains(TOOLRUN_FINALIZER)) {
          toolRuns
              .withName(run.getMetadata().getName())
              .edit(
                  r -> {
                    r.getMetadata().getFinalizers().remove(TOOLRUN_FINALIZER);
                    return r;
                  });
        }
      }
    } catch (KubernetesClientException e) {
      // No ToolRun CRD in this cluster, or the namespace is going already: nothing to let go.
    }
    admin.namespaces().withName(namespace).delete();
    runner.close();
    admin.close();
  }
}
