package dev.toolrun.adapter.k8s.job;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.k8s.KubernetesConfig;
import dev.toolrun.domain.error.RuntimeRejectedException;
import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.error.Violation;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.tool.CleanupPolicy;
import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.Script;
import dev.toolrun.domain.tool.SecuritySettings;
import dev.toolrun.domain.tool.ServiceSettings;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.domain.tool.VolumeClaimMount;
import dev.toolrun.ports.out.Launch;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.VersionInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the Kubernetes objects of an instance: a pure function of the launch and the runtime's
 * configuration, so the exact objects are unit-tested without a cluster.
 *
 * <p>The workload reads its inputs from {@value #INPUT_DIR} (the ConfigMap: parameters as JSON and,
 * for scripts, the source), gets secret inputs as environment variables from the Secret (the run's
 * own, or the user's Secret they were given by, which is not the run's and not made here), may
 * write only to {@code /tmp} and its volumes, and writes its result to the container's termination
 * message file, named by {@code TOOLRUN_RESULT_FILE}.
 *
 * <p>It is a little over 300 lines because it is the one place that says what a run's objects look
 * like; the container and the service's isolation are already {@link ToolContainer}'s and {@link
 * ServiceIsolation}'s, and what is left (Job, ConfigMap, Secret, names, limits) reads best
 * together, against the golden YAML files that pin it.
 */
public final class JobFactory {
  public static final String CONTAINER = "tool";
  static final String INPUT_DIR = "/toolrun/input";
  static final String PARAMETERS_FILE = "parameters.json";
  static final String RESULT_FILE = "/dev/termination-log";

  /** Kubernetes keeps at most this much of a container's termination message. */
  static final int RESULT_MAX_BYTES = 4096;

  /** A ConfigMap holds at most 1 MiB; keep room for metadata. */
  static final int INPUTS_MAX_BYTES = 1000 * 1024;

  /** A Secret holds at most 1 MiB, as a ConfigMap does; the same margin is kept. */
  static final int SECRETS_MAX_BYTES = INPUTS_MAX_BYTES;

  /** The label toolrun's own pods carry; an isolated service admits traffic from them. */
  static final String TOOLRUN_APP_LABEL = "app.kubernetes.io/name";

  static final String INPUT_VOLUME = "toolrun-input";
  static final String TMP_VOLUME = "tmp";
  private static final String ISTIO_INJECT = "sidecar.istio.io/inject";
  private static final String SECCOMP_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod";

  /** Where a Job keeps its cleanup policy, so the policy survives a restart of toolrun. */
  public static final String CLEANUP_ANNOTATION = "toolrun.dev/cleanup-policy";

  /** On a pool Job: {@link #templateHash} of its pod template. */
  public static final String POOL_TEMPLATE_ANNOTATION = "toolrun.dev/pool-template";

  /** On a claimed pool Job: when the claim took it, which is when its run started. */
  public static final String CLAIMED_AT_ANNOTATION = "toolrun.dev/claimed-at";

  /** On a claimed pool Job: the run's timeout, which its deadline counts from the claim. */
  public static final String TIMEOUT_ANNOTATION = "toolrun.dev/timeout-seconds";

  private static final Pattern MINOR_VERSION = Pattern.compile("(\\d+)");

  private final KubernetesConfig config;
  private final boolean seccompField;

  /** {@link #poolTemplateHash} by tool version: a version's spec never changes. */
  private final Map<String, String> templateHashes = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * @param seccompField whether the API server knows the {@code seccompProfile} field (Kubernetes
   *     1.19+); older servers get the equivalent annotation
   */
  public JobFactory(KubernetesConfig config, boolean seccompField) {
    this.config = requireNonNull(config, "config is null");
    this.seccompField = seccompField;
  }

  /** A factory for Jobs that the API server of {@code version} admits. */
  public static JobFactory forServer(KubernetesConfig config, VersionInfo version) {
    return new JobFactory(config, supportsSeccompField(version));
  }

  /** The {@code seccompProfile} field exists from Kubernetes 1.19 on. */
  static boolean supportsSeccompField(VersionInfo version) {
    Matcher minor = MINOR_VERSION.matcher(Optional.ofNullable(version.getMinor()).orElse(""));
    int major =
        Integer.parseInt(
            Optional.ofNullable(version.getMajor()).filter(m -> m.matches("\\d+")).orElse("1"));
    return major > 1 || (minor.find() && Integer.parseInt(minor.group(1)) >= 19);
  }

  /**
   * The cleanup policy {@code job} was created with, read back from its annotation; empty when it
   * has none that this toolrun knows.
   */
  public static Optional<CleanupPolicy> cleanupPolicy(Job job) {
    String annotated =
        Optional.ofNullable(job.getMetadata().getAnnotations())
            .map(a -> a.get(CLEANUP_ANNOTATION))
            .orElse(null);
    try {
      return Optional.ofNullable(annotated).map(CleanupPolicy::valueOf);
    } catch (IllegalArgumentException unknown) {
      return Optional.empty();
    }
  }

  /**
   * The objects of {@code launch}'s instance.
   *
   * @throws RuntimeRejectedException when the inputs do not fit in a ConfigMap or no image runs the
   *     tool's script language
   */
  public WorkloadObjects desired(Launch launch) {
    Instance instance = launch.instance();
    Tool tool = launch.tool();
    ToolSpec spec = tool.spec();
    String name = WorkloadLabels.objectName(instance.id());
    Map<String, String> labels = labels(launch);

    ConfigMap inputs =
        new ConfigMapBuilder()
            .withMetadata(metadata(name, labels))
            .withData(inputFiles(launch))
            .build();
    // Secrets given by reference are in the user's Secret already: the run has none of its own.
    Optional<Secret> secrets =
        launch.secrets().isEmpty()
            ? Optional.empty()
            : Optional.of(
                new SecretBuilder()
                    .withMetadata(metadata(name, labels))
                    .withType("Opaque")
                    .withStringData(new TreeMap<>(launch.secrets().reveal()))
                    .build());

    Job job =
        new JobBuilder()
            .withMetadata(metadata(name, labels))
            .editMetadata()
            .withAnnotations(
                Map.of(
                    CLEANUP_ANNOTATION,
                    spec.cleanupPolicy().orElse(config.defaultCleanupPolicy()).name()))
            .endMetadata()
            .withNewSpec()
            .withBackoffLimit(backoffLimit(spec))
            .withActiveDeadlineSeconds(activeDeadlineSeconds(spec))
            .withParallelism(spec.parallelism().parallelism())
            .withCompletions(spec.parallelism().completions())
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(labels)
            .withAnnotations(podAnnotations(spec))
            .endMetadata()
            .withSpec(podSpec(launch, name))
            .endTemplate()
            .endSpec()
            .build();
    return new WorkloadObjects(
        inputs,
        secrets,
        job,
        ServiceIsolation.networkPolicy(metadata(name, labels), launch, config));
  }

  /**
   * Whether runs of {@code spec} can be taken by a warm pool pod: a task of one pod and no retries
   * (a retried pod would be a fresh pool pod that waits for a claim that never comes) whose command
   * toolrun knows (a script, or an image with its command given: the runner must {@code exec} it).
   */
  public static boolean poolable(ToolSpec spec) {
    return spec.mode() == dev.toolrun.domain.tool.ToolMode.TASK
        && spec.parallelism().isSingle()
        && spec.retryLimit() == 0
        && (spec.workload() instanceof Script
            || (spec.workload() instanceof ContainerImage image && !image.command().isEmpty()));
  }

  /**
   * A Job of {@code tool}'s warm pool: what a cold run of the tool would be (image, resources,
   * placement, security context, service account, volumes at the same paths), except that it is
   * made for no instance yet, named {@code name}, and its container starts {@link PoolRunner}'s
   * runner, which waits for a claim to bring the inputs and secret values, then runs the cold
   * command. Where a cold run mounts its inputs ConfigMap, the pool pod has a memory-backed {@code
   * emptyDir} the claim fills; it waits at most {@code maxAge}, then the Job controller ends it and
   * the pool replaces it.
   */
  public Job poolJob(Tool tool, String name, java.time.Duration maxAge) {
    if (!poolable(tool.spec())) {
      throw new IllegalArgumentException(tool.name() + " cannot be run from a warm pool");
    }
    Instance template =
        Instance.launch(
            dev.toolrun.domain.instance.InstanceId.generate(
                java.time.Instant.EPOCH, new java.util.Random(0)),
            tool,
            dev.toolrun.domain.instance.Parameters.NONE,
            java.util.Set.of(),
            Optional.empty(),
            java.time.Instant.EPOCH);
    Job job =
        desired(new Launch(template, tool, dev.toolrun.domain.instance.SecretValues.NONE)).job();
    Map<String, String> labels = new TreeMap<>(job.getMetadata().getLabels());
    labels.remove(WorkloadLabels.INSTANCE);
    labels.put(WorkloadLabels.POOL, WorkloadLabels.POOL_WAITING);
    job.getMetadata().setName(name);
    job.getMetadata().setLabels(labels);
    job.getSpec().getTemplate().getMetadata().setLabels(labels);
    job.getSpec().setBackoffLimit(0);
    job.getSpec().setActiveDeadlineSeconds(maxAge.toSeconds());
    io.fabric8.kubernetes.api.model.PodSpec pod = job.getSpec().getTemplate().getSpec();
    List<Volume> volumes = new ArrayList<>();
    for (Volume volume : pod.getVolumes()) {
      volumes.add(INPUT_VOLUME.equals(volume.getName()) ? memoryVolume(INPUT_VOLUME) : volume);
    }
    volumes.add(memoryVolume(PoolRunner.CLAIM_VOLUME));
    pod.setVolumes(volumes);
    ToolContainer.waitForClaim(pod.getContainers().get(0));
    job.getMetadata()
        .getAnnotations()
        .put(POOL_TEMPLATE_ANNOTATION, templateHash(job.getSpec().getTemplate()));
    return job;
  }

  /**
   * The files a claim delivers to a pool pod for {@code launch}, as one tar stream: the inputs a
   * cold run's ConfigMap holds, at the same paths, and the environment a cold run's container gets
   * beyond the pool pod's own (the instance's id, and the secret values a cold run takes from its
   * Secret), in a file the runner reads and removes before the tool starts.
   *
   * @throws RuntimeRejectedException when the inputs are larger than a cold run allows
   */
  public byte[] claimPayload(Launch launch) {
    Map<String, byte[]> files = new java.util.LinkedHashMap<>();
    inputFiles(launch)
        .forEach((file, text) -> files.put("input/" + file, text.getBytes(StandardCharsets.UTF_8)));
    StringBuilder env = new StringBuilder();
    Map<String, String> values = new TreeMap<>(launch.secrets().reveal());
    values.put("TOOLRUN_INSTANCE_ID", launch.instance().id().value());
    values.forEach(
        (variable, value) ->
            env.append("export ")
                .append(variable)
                .append("='")
                .append(value.replace("'", "'\\''"))
                .append("'\n"));
    files.put(PoolRunner.ENV_FILE, env.toString().getBytes(StandardCharsets.UTF_8));
    return TarStream.of(files, 0600);
  }

  /**
   * What {@code tool}'s pool pods look like, in a few characters: pool Jobs made by another
   * configuration (or another toolrun) that would run differently carry another value and are
   * replaced, not claimed.
   */
  public String poolTemplateHash(Tool tool, java.time.Duration maxAge) {
    return templateHashes.computeIfAbsent(
        tool.name().value() + "@" + tool.version() + "/" + maxAge.toSeconds(),
        key ->
            templateHash(poolJob(tool, "toolrun-pool-template", maxAge).getSpec().getTemplate()));
  }

  /** {@link #poolTemplateHash} of a template. */
  static String templateHash(Object template) {
    return Integer.toHexString(
        io.fabric8.kubernetes.client.utils.Serialization.asJson(template).hashCode());
  }

  private static Volume memoryVolume(String name) {
    return new VolumeBuilder()
        .withName(name)
        .withNewEmptyDir()
        .withMedium("Memory")
        .endEmptyDir()
        .build();
  }

  /**
   * A task's retries are its retry limit. A service that is restarted when unhealthy may also be
   * restarted by the Job controller when its process dies, up to its restart limit; one that fails
   * when unhealthy fails when its process dies, too.
   */
  private static int backoffLimit(ToolSpec spec) {
    return switch (spec.mode()) {
      case TASK -> spec.retryLimit();
      case SERVICE -> {
        ServiceSettings service = spec.service().orElseThrow();
        yield service.onUnhealthy() == dev.toolrun.domain.tool.UnhealthyAction.RESTART
            ? service.maxRestarts()
            : 0;
      }
    };
  }

  /**
   * {@code owned} with {@code owner} as its controlling owner, so deleting the owner deletes it.
   */
  static <T extends HasMetadata> T ownedBy(T owned, HasMetadata owner) {
    owned
        .getMetadata()
        .setOwnerReferences(
            List.of(
                new OwnerReferenceBuilder()
                    .withApiVersion(owner.getApiVersion())
                    .withKind(owner.getKind())
                    .withName(owner.getMetadata().getName())
                    .withUid(owner.getMetadata().getUid())
                    .withController(true)
                    .withBlockOwnerDeletion(false)
                    .build()));
    return owned;
  }

  private Long activeDeadlineSeconds(ToolSpec spec) {
    return switch (spec.mode()) {
      case TASK -> spec.effectiveTimeout(config.defaultTimeout()).toSeconds();
      // A service runs until it is stopped.
      case SERVICE -> null;
    };
  }

  private static Map<String, String> labels(Launch launch) {
    Map<String, String> labels = new TreeMap<>();
    labels.put(WorkloadLabels.MANAGED_BY, WorkloadLabels.MANAGER);
    labels.put(WorkloadLabels.MODE, launch.tool().mode().name().toLowerCase(java.util.Locale.ROOT));
    labels.put(WorkloadLabels.INSTANCE, launch.instance().id().value());
    labels.put(WorkloadLabels.TOOL, launch.tool().name().value());
    labels.put(WorkloadLabels.TOOL_VERSION, Integer.toString(launch.tool().version()));
    return labels;
  }

  static ObjectMeta metadata(String name, Map<String, String> labels) {
    return new ObjectMetaBuilder().withName(name).withLabels(labels).build();
  }

  private Map<String, String> podAnnotations(ToolSpec spec) {
    Map<String, String> annotations = new TreeMap<>();
    annotations.put(
        ISTIO_INJECT, Boolean.toString(spec.istioSidecar().orElse(config.istioSidecar())));
    if (!seccompField) {
      annotations.put(SECCOMP_ANNOTATION, "runtime/default");
    }
    return annotations;
  }

  /**
   * Refuses a launch whose inputs ConfigMap (its parameters, with the tool's script) or whose
   * Secret (its secret values) would be beyond what Kubernetes holds in one object, before anything
   * of it is written. The record's own bound does not cover them: a script of up to 512 KiB is the
   * tool's, not the launch's, and secrets are never in the record.
   *
   * @throws ValidationException naming {@code parameters} or {@code secrets} and the limit
   */
  public static void checkFits(Launch launch) {
    var violations = new ArrayList<Violation>();
    long inputs = bytes(inputFileContents(launch).values());
    if (inputs > INPUTS_MAX_BYTES) {
      violations.add(
          new Violation(
              "parameters",
              ("take %d bytes with the tool's script, more than the %d bytes the ConfigMap that"
                      + " carries them to the workload may hold (a Kubernetes object holds at most"
                      + " 1 MiB): pass large inputs by reference, e.g. a URL or a volume")
                  .formatted(inputs, INPUTS_MAX_BYTES)));
    }
    Map<String, String> secrets = launch.secrets().reveal();
    // Names count too: a Secret's keys are stored with its values.
    long secretBytes = bytes(secrets.values()) + bytes(secrets.keySet());
    if (secretBytes > SECRETS_MAX_BYTES) {
      violations.add(
          new Violation(
              "secrets",
              ("take %d bytes, more than the %d bytes the Secret that carries them may hold (a"
                      + " Kubernetes object holds at most 1 MiB)")
                  .formatted(secretBytes, SECRETS_MAX_BYTES)));
    }
    if (!violations.isEmpty()) {
      throw new ValidationException(violations);
    }
  }

  private static long bytes(Collection<String> texts) {
    return texts.stream().mapToLong(t -> t.getBytes(StandardCharsets.UTF_8).length).sum();
  }

  private static Map<String, String> inputFileContents(Launch launch) {
    Map<String, String> files = new TreeMap<>();
    files.put(PARAMETERS_FILE, launch.instance().parameters().json());
    if (launch.tool().spec().workload() instanceof Script script) {
      files.put(script.language().fileName(), script.source());
    }
    return files;
  }

  // Launches are checked before they are recorded (checkFits); this holds for one recorded before
  // that check existed.
  private Map<String, String> inputFiles(Launch launch) {
    Map<String, String> files = inputFileContents(launch);
    long bytes = bytes(files.values());
    if (bytes > INPUTS_MAX_BYTES) {
      throw new RuntimeRejectedException(
          RuntimeRejectedException.Kind.INVALID_OBJECT,
          "the parameters and script of instance %s take %d bytes; Kubernetes allows %d in a ConfigMap"
              .formatted(launch.instance().id(), bytes, INPUTS_MAX_BYTES),
          null);
    }
    return files;
  }

  private io.fabric8.kubernetes.api.model.PodSpec podSpec(Launch launch, String name) {
    ToolSpec spec = launch.tool().spec();
    SecuritySettings security = spec.security();
    List<Volume> volumes = new ArrayList<>();
    volumes.add(
        new VolumeBuilder()
            .withName(INPUT_VOLUME)
            .withNewConfigMap()
            .withName(name)
            .endConfigMap()
            .build());
    volumes.add(new VolumeBuilder().withName(TMP_VOLUME).withNewEmptyDir().endEmptyDir().build());
    for (int i = 0; i < spec.volumes().size(); i++) {
      VolumeClaimMount claim = spec.volumes().get(i);
      volumes.add(
          new VolumeBuilder()
              .withName("claim-" + i)
              .withNewPersistentVolumeClaim(claim.claimName(), claim.readOnly())
              .build());
    }
    Optional<String> serviceAccount = spec.serviceAccount().or(config::serviceAccount);
    Optional<String> pullSecret = spec.imagePullSecret().or(config::imagePullSecret);

    PodSpecBuilder pod =
        new PodSpecBuilder()
            .withRestartPolicy("Never")
            .withContainers(ToolContainer.of(launch, name, config))
            .withVolumes(volumes)
            .withServiceAccountName(serviceAccount.orElse(null))
            // Workloads get the API token only when their tool asks for an identity of its own.
            .withAutomountServiceAccountToken(serviceAccount.isPresent())
            .withImagePullSecrets(
                pullSecret.map(s -> List.of(new LocalObjectReference(s))).orElse(null))
            .withNodeSelector(
                nullIfEmpty(
                    PodPlacement.nodeSelector(config.defaultScheduling(), spec.scheduling())))
            .withTolerations(
                nullIfEmpty(
                    PodPlacement.tolerations(config.defaultScheduling(), spec.scheduling())))
            .withAffinity(PodPlacement.affinity(spec.scheduling().affinity()).orElse(null))
            .withSecurityContext(podSecurity(security));
    return pod.build();
  }

  private io.fabric8.kubernetes.api.model.PodSecurityContext podSecurity(
      SecuritySettings security) {
    PodSecurityContextBuilder context =
        new PodSecurityContextBuilder()
            .withRunAsNonRoot(security.runAsNonRoot() ? Boolean.TRUE : null)
            .withRunAsUser(security.runAsUser().orElse(null))
            .withFsGroup(security.runAsUser().orElse(null));
    if (seccompField) {
      context.withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile();
    }
    return context.build();
  }

  static <T> List<T> nullIfEmpty(List<T> list) {
    return list.isEmpty() ? null : list;
  }

  static <K, V> Map<K, V> nullIfEmpty(Map<K, V> map) {
    return map.isEmpty() ? null : map;
  }
}
