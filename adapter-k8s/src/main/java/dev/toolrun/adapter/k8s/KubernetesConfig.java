package dev.toolrun.adapter.k8s;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.tool.CleanupPolicy;
import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.Scheduling;
import dev.toolrun.domain.tool.ScriptLanguage;
import dev.toolrun.domain.tool.ToolSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How toolrun runs workloads on Kubernetes. Every value is checked when the record is built, so a
 * bad configuration stops startup with a message naming the setting.
 *
 * <p>Longer than 300 lines for a reason: besides checking its 19 settings it carries its {@link
 * Builder}, one setter per setting, the one way to copy a configuration with changes (so that a new
 * setting cannot be forgotten in a copy).
 *
 * @param namespace where Jobs, pods, ConfigMaps and Secrets are created
 * @param kubeconfig the kubeconfig file to use; without it, the usual lookup ({@code KUBECONFIG},
 *     {@code ~/.kube/config}) and then the in-cluster service account apply
 * @param context the kubeconfig context to use instead of the file's current one
 * @param defaultTimeout a task's timeout when its tool sets none
 * @param defaultCleanupPolicy what is deleted after a run when its tool does not say
 * @param serviceAccount the service account of workloads whose tool names none
 * @param imagePullSecret the pull secret of workloads whose tool names none
 * @param defaultScheduling node selector and tolerations every workload gets; a tool's own settings
 *     are added and win on conflicting keys
 * @param scriptImages the image that runs scripts of each language; a language without an image
 *     cannot be used
 * @param istioSidecar whether workloads get an Istio sidecar when their tool does not say
 * @param imagePullGrace how long a workload may fail to pull its image before it fails
 * @param unschedulableGrace how long a workload may wait for a node before it fails
 * @param serviceAccess how requests and health checks reach service instances
 * @param serviceProxyRateLimit the limit on requests to services through the API server proxy
 * @param isolationAllowedCidrs address ranges an isolated service admits besides toolrun's own pods
 *     (e.g. the control plane's, for requests through the API server proxy)
 * @param restrictedPodSecurity whether the namespace enforces the "restricted" Pod Security
 *     Standard, as {@code deploy/namespace.yaml} sets it: tools that break it are then refused at
 *     registration instead of waiting forever for pods the API server will not admit
 * @param pools the size of the warm pool kept for each tool named (README, "Warm pools"): that many
 *     pods made for the tool's latest version wait for a run
 * @param poolMaxAge how long a pool pod may wait before it is replaced by a fresh one
 * @param records where toolrun keeps its records of tools and instances: the Tool and ToolRun
 *     custom resources of deploy/crds/ (the default; the cluster administrator installs them), or
 *     ConfigMaps, for a cluster without them (with deploy/configmap-records/'s Role bound too)
 * @param queuePositionRefresh how often the ToolRuns of runs waiting for capacity get their place
 *     in the admission queue written, where it moved ({@code status.queuePosition}; ToolRun records
 *     only)
 */
public record KubernetesConfig(
    String namespace,
    Optional<Path> kubeconfig,
    Optional<String> context,
    Duration defaultTimeout,
    CleanupPolicy defaultCleanupPolicy,
    Optional<String> serviceAccount,
    Optional<String> imagePullSecret,
    Scheduling defaultScheduling,
    Map<ScriptLanguage, String> scriptImages,
    ImagePullPolicy imagePullPolicy,
    boolean istioSidecar,
    ApiRateLimit rateLimit,
    Duration imagePullGrace,
    Duration unschedulableGrace,
    ServiceAccess serviceAccess,
    ApiRateLimit serviceProxyRateLimit,
    List<String> isolationAllowedCidrs,
    boolean restrictedPodSecurity,
    Map<String, Integer> pools,
    Duration poolMaxAge,
    RecordStore records,
    Duration queuePositionRefresh) {

  private static final Pattern CIDR =
      Pattern.compile("(\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2})|([0-9a-fA-F:]+/\\d{1,3})");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  public KubernetesConfig {
    requireNonNull(namespace, "namespace is null");
    requireNonNull(kubeconfig, "kubeconfig is null");
    requireNonNull(context, "context is null");
    requireNonNull(defaultTimeout, "defaultTimeout is null");
    requireNonNull(defaultCleanupPolicy, "defaultCleanupPolicy is null");
    requireNonNull(serviceAccount, "serviceAccount is null");
    requireNonNull(imagePullSecret, "imagePullSecret is null");
    requireNonNull(defaultScheduling, "defaultScheduling is null");
    requireNonNull(scriptImages, "scriptImages is null");
    requireNonNull(imagePullPolicy, "imagePullPolicy is null");
    requireNonNull(rateLimit, "rateLimit is null");
    requireNonNull(imagePullGrace, "imagePullGrace is null");
    requireNonNull(unschedulableGrace, "unschedulableGrace is null");
    requireNonNull(serviceAccess, "serviceAccess is null");
    requireNonNull(serviceProxyRateLimit, "serviceProxyRateLimit is null");
    requireNonNull(records, "records is null");
    isolationAllowedCidrs =
        List.copyOf(requireNonNull(isolationAllowedCidrs, "isolationAllowedCidrs is null"));
    for (String cidr : isolationAllowedCidrs) {
      check(
          CIDR.matcher(cidr).matches(),
          "kubernetes.isolation-allowed-cidrs",
          "'" + cidr + "' is not a CIDR such as 10.0.0.0/8");
    }
    check(
        DNS_LABEL.matcher(namespace).matches(),
        "kubernetes.namespace",
        "'" + namespace + "' is not a valid namespace name");
    check(
        defaultTimeout.compareTo(Duration.ofSeconds(1)) >= 0
            && defaultTimeout.compareTo(ToolSpec.MAX_TIMEOUT) <= 0,
        "kubernetes.default-timeout-seconds",
        "must be between 1 second and 7 days");
    serviceAccount.ifPresent(
        sa ->
            check(
                DNS_SUBDOMAIN.matcher(sa).matches() && sa.length() <= 253,
                "kubernetes.service-account",
                "'" + sa + "' is not a valid service account name"));
    imagePullSecret.ifPresent(
        s ->
            check(
                DNS_SUBDOMAIN.matcher(s).matches() && s.length() <= 253,
                "kubernetes.image-pull-secret",
                "'" + s + "' is not a valid secret name"));
    EnumMap<ScriptLanguage, String> images = new EnumMap<>(ScriptLanguage.class);
    scriptImages.forEach(
        (language, image) -> {
          try {
            ContainerImage.of(image);
          } catch (ValidationException e) {
            throw new IllegalArgumentException(
                "kubernetes.script-image."
                    + language.name().toLowerCase()
                    + ": '"
                    + image
                    + "' is not a valid image reference");
          }
          images.put(language, image);
        });
    scriptImages = Collections.unmodifiableMap(images);
    check(
        !imagePullGrace.isNegative(),
        "kubernetes.image-pull-grace-seconds",
        "must not be negative");
    check(
        !unschedulableGrace.isNegative(),
        "kubernetes.unschedulable-grace-seconds",
        "must not be negative");
    pools = Map.copyOf(requireNonNull(pools, "pools is null"));
    pools.forEach(
        (tool, size) ->
            check(
                size >= 0 && size <= MAX_POOL_SIZE,
                "pools." + tool,
                "must be between 0 and " + MAX_POOL_SIZE));
    requireNonNull(poolMaxAge, "poolMaxAge is null");
    check(
        poolMaxAge.compareTo(Duration.ofSeconds(10)) >= 0,
        "kubernetes.pool-max-age-seconds",
        "must be at least 10");
    requireNonNull(queuePositionRefresh, "queuePositionRefresh is null");
    check(
        queuePositionRefresh.compareTo(Duration.ofSeconds(1)) >= 0,
        "kubernetes.queue-position-refresh-seconds",
        "must be at least 1");
  }

  /** The most pods one tool's warm pool may keep waiting. */
  public static final int MAX_POOL_SIZE = 100;

  private static void check(boolean ok, String key, String message) {
    if (!ok) {
      throw new IllegalArgumentException(key + ": " + message);
    }
  }

  /**
   * The defaults for a cluster: namespace {@code default}, no script images, images pulled if
   * absent.
   */
  public static KubernetesConfig defaults() {
    return builder().build();
  }

  /**
   * The defaults plus the script images the local development cluster ({@code kube-local})
   * preloads.
   */
  public static KubernetesConfig localCluster() {
    return builder()
        .scriptImages(
            Map.of(
                ScriptLanguage.PYTHON, "kube-local.test/python:3.11",
                ScriptLanguage.SHELL, "kube-local.test/busybox:1"))
        .build();
  }

  /** A builder that starts from the {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this configuration: the one way to copy it with changes. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** This configuration with other script images. */
  public KubernetesConfig withScriptImages(Map<ScriptLanguage, String> images) {
    return toBuilder().scriptImages(images).build();
  }

  /** This configuration in another namespace. */
  public KubernetesConfig inNamespace(String otherNamespace) {
    return toBuilder().namespace(otherNamespace).build();
  }

  /**
   * Collects the settings of a {@link KubernetesConfig}; {@link #build()} checks them all. Starts
   * from the defaults, or from the configuration it was made from.
   */
  public static final class Builder {
    private String namespace = "default";
    private Optional<Path> kubeconfig = Optional.empty();
    private Optional<String> context = Optional.empty();
    private Duration defaultTimeout = ToolSpec.DEFAULT_TIMEOUT;
    private CleanupPolicy defaultCleanupPolicy = CleanupPolicy.ALWAYS;
    private Optional<String> serviceAccount = Optional.empty();
    private Optional<String> imagePullSecret = Optional.empty();
    private Scheduling defaultScheduling = Scheduling.ANYWHERE;
    private Map<ScriptLanguage, String> scriptImages = Map.of();
    private ImagePullPolicy imagePullPolicy = ImagePullPolicy.IF_NOT_PRESENT;
    private boolean istioSidecar = false;
    private ApiRateLimit rateLimit = ApiRateLimit.DEFAULT;
    private Duration imagePullGrace = Duration.ZERO;
    private Duration unschedulableGrace = Duration.ofSeconds(60);
    private ServiceAccess serviceAccess = ServiceAccess.API_SERVER_PROXY;
    private ApiRateLimit serviceProxyRateLimit = ApiRateLimit.SERVICE_PROXY_DEFAULT;
    private List<String> isolationAllowedCidrs = List.of();
    private boolean restrictedPodSecurity = true;
    private Map<String, Integer> pools = Map.of();
    private Duration poolMaxAge = Duration.ofHours(1);
    private RecordStore records = RecordStore.RESOURCES;
    private Duration queuePositionRefresh = Duration.ofSeconds(5);

    private Builder() {}

    private Builder(KubernetesConfig from) {
      namespace = from.namespace;
      kubeconfig = from.kubeconfig;
      context = from.context;
      defaultTimeout = from.defaultTimeout;
      defaultCleanupPolicy = from.defaultCleanupPolicy;
      serviceAccount = from.serviceAccount;
      imagePullSecret = from.imagePullSecret;
      defaultScheduling = from.defaultScheduling;
      scriptImages = from.scriptImages;
      imagePullPolicy = from.imagePullPolicy;
      istioSidecar = from.istioSidecar;
      rateLimit = from.rateLimit;
      imagePullGrace = from.imagePullGrace;
      unschedulableGrace = from.unschedulableGrace;
      serviceAccess = from.serviceAccess;
      serviceProxyRateLimit = from.serviceProxyRateLimit;
      isolationAllowedCidrs = from.isolationAllowedCidrs;
      restrictedPodSecurity = from.restrictedPodSecurity;
      pools = from.pools;
      poolMaxAge = from.poolMaxAge;
      records = from.records;
      queuePositionRefresh = from.queuePositionRefresh;
    }

    public Builder queuePositionRefresh(Duration queuePositionRefresh) {
      this.queuePositionRefresh = queuePositionRefresh;
      return this;
    }

    public Builder pools(Map<String, Integer> pools) {
      this.pools = pools;
      return this;
    }

    public Builder poolMaxAge(Duration poolMaxAge) {
      this.poolMaxAge = poolMaxAge;
      return this;
    }

    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    public Builder kubeconfig(Optional<Path> kubeconfig) {
      this.kubeconfig = kubeconfig;
      return this;
    }

    public Builder context(Optional<String> context) {
      this.context = context;
      return this;
    }

    public Builder defaultTimeout(Duration defaultTimeout) {
      this.defaultTimeout = defaultTimeout;
      return this;
    }

    public Builder defaultCleanupPolicy(CleanupPolicy defaultCleanupPolicy) {
      this.defaultCleanupPolicy = defaultCleanupPolicy;
      return this;
    }

    public Builder serviceAccount(Optional<String> serviceAccount) {
      this.serviceAccount = serviceAccount;
      return this;
    }

    public Builder imagePullSecret(Optional<String> imagePullSecret) {
      this.imagePullSecret = imagePullSecret;
      return this;
    }

    public Builder defaultScheduling(Scheduling defaultScheduling) {
      this.defaultScheduling = defaultScheduling;
      return this;
    }

    public Builder scriptImages(Map<ScriptLanguage, String> scriptImages) {
      this.scriptImages = scriptImages;
      return this;
    }

    public Builder imagePullPolicy(ImagePullPolicy imagePullPolicy) {
      this.imagePullPolicy = imagePullPolicy;
      return this;
    }

    public Builder istioSidecar(boolean istioSidecar) {
      this.istioSidecar = istioSidecar;
      return this;
    }

    public Builder rateLimit(ApiRateLimit rateLimit) {
      this.rateLimit = rateLimit;
      return this;
    }

    public Builder imagePullGrace(Duration imagePullGrace) {
      this.imagePullGrace = imagePullGrace;
      return this;
    }

    public Builder unschedulableGrace(Duration unschedulableGrace) {
      this.unschedulableGrace = unschedulableGrace;
      return this;
    }

    public Builder serviceAccess(ServiceAccess serviceAccess) {
      this.serviceAccess = serviceAccess;
      return this;
    }

    public Builder serviceProxyRateLimit(ApiRateLimit serviceProxyRateLimit) {
      this.serviceProxyRateLimit = serviceProxyRateLimit;
      return this;
    }

    public Builder isolationAllowedCidrs(List<String> isolationAllowedCidrs) {
      this.isolationAllowedCidrs = isolationAllowedCidrs;
      return this;
    }

    public Builder restrictedPodSecurity(boolean restrictedPodSecurity) {
      this.restrictedPodSecurity = restrictedPodSecurity;
      return this;
    }

    public Builder records(RecordStore records) {
      this.records = records;
      return this;
    }

    /**
     * The configuration.
     *
     * @throws IllegalArgumentException naming the first setting that is not valid
     */
    public KubernetesConfig build() {
      return new KubernetesConfig(
          namespace,
          kubeconfig,
          context,
          defaultTimeout,
          defaultCleanupPolicy,
          serviceAccount,
          imagePullSecret,
          defaultScheduling,
          scriptImages,
          imagePullPolicy,
          istioSidecar,
          rateLimit,
          imagePullGrace,
          unschedulableGrace,
          serviceAccess,
          serviceProxyRateLimit,
          isolationAllowedCidrs,
          restrictedPodSecurity,
          pools,
          poolMaxAge,
          records,
          queuePositionRefresh);
    }
  }
}
