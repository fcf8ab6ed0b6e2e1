package dev.toolrun.adapter.k8s.job;

import static dev.toolrun.adapter.k8s.job.JobFactory.CONTAINER;
import static dev.toolrun.adapter.k8s.job.JobFactory.INPUT_DIR;
import static dev.toolrun.adapter.k8s.job.JobFactory.INPUT_VOLUME;
import static dev.toolrun.adapter.k8s.job.JobFactory.PARAMETERS_FILE;
import static dev.toolrun.adapter.k8s.job.JobFactory.RESULT_FILE;
import static dev.toolrun.adapter.k8s.job.JobFactory.TMP_VOLUME;
import static dev.toolrun.adapter.k8s.job.JobFactory.nullIfEmpty;

import dev.toolrun.adapter.k8s.KubernetesConfig;
import dev.toolrun.domain.error.RuntimeRejectedException;
import dev.toolrun.domain.instance.SecretReference;
import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.Resources;
import dev.toolrun.domain.tool.Script;
import dev.toolrun.domain.tool.SecuritySettings;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.domain.tool.VolumeClaimMount;
import dev.toolrun.ports.out.Launch;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tool container of an instance's pods, part of what {@link JobFactory} builds: the image (or
 * the interpreter of a script) and its command, the environment that tells the tool where its
 * inputs are and where its result goes, the mounts, the resources and the security context.
 */
final class ToolContainer {
  private ToolContainer() {}

  /** The tool container of {@code launch}'s pods, whose objects are called {@code name}. */
  static Container of(Launch launch, String name, KubernetesConfig config) {
    ToolSpec spec = launch.tool().spec();
    SecuritySettings security = spec.security();
    ContainerBuilder container =
        new ContainerBuilder()
            .withName(CONTAINER)
            .withImagePullPolicy(config.imagePullPolicy().kubernetesName())
            .withEnv(environment(launch, name))
            .withVolumeMounts(volumeMounts(spec))
            .withResources(resources(spec.resources()))
            .withTerminationMessagePath(RESULT_FILE)
            .withTerminationMessagePolicy("File")
            .withPorts(
                spec.service()
                    .map(
                        service ->
                            List.of(
                                new ContainerPortBuilder()
                                    .withName("service")
                                    .withContainerPort(service.port())
                                    .withProtocol("TCP")
                                    .build()))
                    .orElse(null))
            .withSecurityContext(
                new SecurityContextBuilder()
                    .withAllowPrivilegeEscalation(security.allowPrivilegeEscalation())
                    .withReadOnlyRootFilesystem(security.readOnlyRootFilesystem())
                    .withRunAsNonRoot(security.runAsNonRoot() ? Boolean.TRUE : null)
                    .withNewCapabilities()
                    .withDrop(nullIfEmpty(security.dropCapabilities()))
                    .withAdd(nullIfEmpty(security.addCapabilities()))
                    .endCapabilities()
                    .build());
    if (spec.workload() instanceof ContainerImage image) {
      container
          .withImage(image.image())
          .withCommand(nullIfEmpty(image.command()))
          .withArgs(nullIfEmpty(image.args()));
    } else if (spec.workload() instanceof Script script) {
      String interpreterImage = config.scriptImages().get(script.language());
      if (interpreterImage == null) {
        throw new RuntimeRejectedException(
            RuntimeRejectedException.Kind.INVALID_OBJECT,
            "no image runs %s scripts: set kubernetes.script-image.%s"
                .formatted(
                    script.language().name().toLowerCase(), script.language().name().toLowerCase()),
            null);
      }
      List<String> command = new ArrayList<>();
      command.add(
          switch (script.language()) {
            case PYTHON -> "python3";
            case SHELL -> "sh";
          });
      command.add(INPUT_DIR + "/" + script.language().fileName());
      command.addAll(script.args());
      container.withImage(interpreterImage).withCommand(command);
    }
    return container.build();
  }

  /**
   * Turns the cold container {@code container} into a pool pod's, in place: the same command, run
   * by {@link PoolRunner}'s runner once a claim came; the inputs directory writable (the claim
   * fills it) and the claim's directory mounted; without the environment that belongs to a run (its
   * instance's id, its secret values), which the claim brings.
   */
  static void waitForClaim(Container container) {
    List<String> cold = new ArrayList<>(container.getCommand());
    if (container.getArgs() != null) {
      cold.addAll(container.getArgs());
    }
    container.setCommand(PoolRunner.command(cold));
    container.setArgs(null);
    container.setEnv(
        container.getEnv().stream()
            .filter(e -> e.getValueFrom() == null && !"TOOLRUN_INSTANCE_ID".equals(e.getName()))
            .toList());
    List<VolumeMount> mounts = new ArrayList<>();
    for (VolumeMount mount : container.getVolumeMounts()) {
      mounts.add(
          INPUT_VOLUME.equals(mount.getName())
              ? new VolumeMountBuilder(mount).withReadOnly(false).build()
              : mount);
    }
    mounts.add(
        new VolumeMountBuilder()
            .withName(PoolRunner.CLAIM_VOLUME)
            .withMountPath(PoolRunner.CLAIM_DIR)
            .build());
    container.setVolumeMounts(mounts);
  }

  private static List<EnvVar> environment(Launch launch, String name) {
    ToolSpec spec = launch.tool().spec();
    List<EnvVar> env = new ArrayList<>();
    Map<String, String> own = new LinkedHashMap<>();
    own.put("TOOLRUN_INSTANCE_ID", launch.instance().id().value());
    own.put("TOOLRUN_TOOL", launch.tool().name().value());
    own.put("TOOLRUN_TOOL_VERSION", Integer.toString(launch.tool().version()));
    own.put("TOOLRUN_PARAMETERS_FILE", INPUT_DIR + "/" + PARAMETERS_FILE);
    own.put("TOOLRUN_RESULT_FILE", RESULT_FILE);
    // With a read-only root file system, programs that write under $HOME need it to be writable.
    own.put("HOME", "/tmp");
    own.forEach((k, v) -> env.add(new EnvVar(k, v, null)));
    spec.env().forEach((k, v) -> env.add(new EnvVar(k, v, null)));
    // The run's own Secret, or the user's that its secrets were given by: toolrun names it and
    // never
    // reads it, the kubelet does. Not optional: a missing Secret or key keeps the container from
    // being created (CreateContainerConfigError), and the run fails with the kubelet's reason.
    String secretName = launch.instance().secretReference().map(SecretReference::name).orElse(name);
    for (String secret : spec.secretInputs()) {
      env.add(
          new EnvVarBuilder()
              .withName(secret)
              .withNewValueFrom()
              .withNewSecretKeyRef(secret, secretName, false)
              .endValueFrom()
              .build());
    }
    return env;
  }

  private static List<VolumeMount> volumeMounts(ToolSpec spec) {
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(
        new VolumeMountBuilder()
            .withName(INPUT_VOLUME)
            .withMountPath(INPUT_DIR)
            .withReadOnly(true)
            .build());
    mounts.add(new VolumeMountBuilder().withName(TMP_VOLUME).withMountPath("/tmp").build());
    for (int i = 0; i < spec.volumes().size(); i++) {
      VolumeClaimMount claim = spec.volumes().get(i);
      mounts.add(
          new VolumeMountBuilder()
              .withName("claim-" + i)
              .withMountPath(claim.mountPath())
              .withReadOnly(claim.readOnly())
              .build());
    }
    return mounts;
  }

  private static io.fabric8.kubernetes.api.model.ResourceRequirements resources(
      Resources resources) {
    Map<String, Quantity> requests = new TreeMap<>();
    Map<String, Quantity> limits = new TreeMap<>();
    resources.cpu().request().ifPresent(q -> requests.put("cpu", new Quantity(q.text())));
    resources.cpu().limit().ifPresent(q -> limits.put("cpu", new Quantity(q.text())));
    resources.memory().request().ifPresent(q -> requests.put("memory", new Quantity(q.text())));
    resources.memory().limit().ifPresent(q -> limits.put("memory", new Quantity(q.text())));
    // Extended resources such as GPUs are set as limits; Kubernetes copies them to requests.
    resources
        .gpu()
        .ifPresent(g -> limits.put(g.resourceName(), new Quantity(Integer.toString(g.count()))));
    return new ResourceRequirementsBuilder()
        .withRequests(nullIfEmpty(requests))
        .withLimits(nullIfEmpty(limits))
        .build();
  }
}
