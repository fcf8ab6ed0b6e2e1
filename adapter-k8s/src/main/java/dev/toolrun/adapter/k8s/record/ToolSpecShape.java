package dev.toolrun.adapter.k8s.record;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A tool spec in the two shapes toolrun stores it in: the stored document's ({@link
 * StoredTool.Spec}, in a ConfigMap record) and the REST API's ({@code Spec} of openapi.yaml), which
 * a Tool custom resource holds so that its spec reads, and can be written, as a {@code PUT
 * /v1/tools/{name}} takes it. Both are JSON objects here; RecordMapper still does every mapping to
 * and from the domain, so a Tool is read with the same checks as a ConfigMap record.
 *
 * <p>The REST shape counts whole seconds where the stored one keeps an ISO-8601 duration ({@code
 * timeoutSeconds}, {@code startTimeoutSeconds}) and milliseconds for the rest; the REST API takes
 * no finer durations, so nothing registered through it is rounded.
 */
final class ToolSpecShape {
  private ToolSpecShape() {}

  /** The REST shape of {@code stored}, a stored spec. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> toRest(Map<String, Object> stored) {
    Map<String, Object> rest = new LinkedHashMap<>();
    rest.put("mode", stored.get("mode"));
    Map<String, Object> workload = (Map<String, Object>) stored.get("workload");
    if (StoredTool.Workload.SCRIPT.equals(workload.get("type"))) {
      Map<String, Object> script = new LinkedHashMap<>();
      script.put("language", ((String) workload.get("language")).toLowerCase(Locale.ROOT));
      script.put("source", workload.get("source"));
      putIfPresent(script, "args", workload.get("args"));
      rest.put("script", script);
    } else {
      Map<String, Object> image = new LinkedHashMap<>();
      image.put("name", workload.get("image"));
      putIfPresent(image, "command", workload.get("command"));
      putIfPresent(image, "args", workload.get("args"));
      rest.put("image", image);
    }
    copy(stored, rest, "resources", "env", "secretInputs");
    Map<String, Object> scheduling = (Map<String, Object>) stored.get("scheduling");
    if (scheduling != null) {
      copy(scheduling, rest, "nodeSelector");
      Object tolerations = scheduling.get("tolerations");
      if (tolerations != null) {
        rest.put(
            "tolerations",
            renamed((List<Map<String, Object>>) tolerations, ToolSpecShape::kubernetesName));
      }
      Map<String, Object> affinity = (Map<String, Object>) scheduling.get("affinity");
      if (affinity != null) {
        Map<String, Object> restAffinity = new LinkedHashMap<>(affinity);
        Object terms = affinity.get("requiredNodeTerms");
        if (terms != null) {
          restAffinity.put(
              "requiredNodeTerms",
              ((List<List<Map<String, Object>>>) terms)
                  .stream()
                      .map(t -> Map.of("requirements", renamed(t, ToolSpecShape::kubernetesName)))
                      .toList());
        }
        rest.put("affinity", restAffinity);
      }
    }
    copy(stored, rest, "security", "serviceAccount", "imagePullSecret", "volumes");
    Map<String, Object> parallelism = (Map<String, Object>) stored.get("parallelism");
    if (parallelism != null) {
      copy(parallelism, rest, "parallelism", "completions");
    }
    Optional.ofNullable((String) stored.get("timeout"))
        .ifPresent(t -> rest.put("timeoutSeconds", Duration.parse(t).toSeconds()));
    copy(stored, rest, "retryLimit", "cleanupPolicy", "istioSidecar");
    Map<String, Object> service = (Map<String, Object>) stored.get("service");
    if (service != null) {
      Map<String, Object> restService = new LinkedHashMap<>(service);
      restService.put("protocol", ((String) service.get("protocol")).toLowerCase(Locale.ROOT));
      restService.remove("healthInterval");
      restService.remove("requestTimeout");
      restService.remove("startTimeout");
      restService.put("healthIntervalMs", millis(service.get("healthInterval")));
      restService.put("requestTimeoutMs", millis(service.get("requestTimeout")));
      restService.put(
          "startTimeoutSeconds", Duration.parse((String) service.get("startTimeout")).toSeconds());
      rest.put("service", restService);
    }
    copy(stored, rest, "inputSchema", "outputSchema");
    return rest;
  }

  /**
   * The stored shape of {@code rest}, a spec in the REST shape with every setting present (as
   * {@link #toRest} writes it).
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> toStored(Map<String, Object> rest) {
    Map<String, Object> stored = new LinkedHashMap<>();
    Map<String, Object> workload = new LinkedHashMap<>();
    Map<String, Object> script = (Map<String, Object>) rest.get("script");
    if (script != null) {
      workload.put("type", StoredTool.Workload.SCRIPT);
      workload.put("language", ((String) script.get("language")).toUpperCase(Locale.ROOT));
      workload.put("source", script.get("source"));
      putIfPresent(workload, "args", script.get("args"));
    } else {
      Map<String, Object> image =
          (Map<String, Object>) Optional.ofNullable(rest.get("image")).orElse(Map.of());
      workload.put("type", StoredTool.Workload.IMAGE);
      workload.put("image", image.get("name"));
      putIfPresent(workload, "command", image.get("command"));
      putIfPresent(workload, "args", image.get("args"));
    }
    stored.put("workload", workload);
    copy(rest, stored, "mode", "resources", "env", "secretInputs");
    Map<String, Object> scheduling = new LinkedHashMap<>();
    copy(rest, scheduling, "nodeSelector");
    Object tolerations = rest.get("tolerations");
    if (tolerations != null) {
      scheduling.put(
          "tolerations",
          renamed((List<Map<String, Object>>) tolerations, ToolSpecShape::constantName));
    }
    Map<String, Object> affinity = (Map<String, Object>) rest.get("affinity");
    if (affinity != null) {
      Map<String, Object> storedAffinity = new LinkedHashMap<>(affinity);
      Object terms = affinity.get("requiredNodeTerms");
      if (terms != null) {
        storedAffinity.put(
            "requiredNodeTerms",
            ((List<Map<String, Object>>) terms)
                .stream()
                    .map(
                        t ->
                            renamed(
                                (List<Map<String, Object>>) t.get("requirements"),
                                ToolSpecShape::constantName))
                    .toList());
      }
      scheduling.put("affinity", storedAffinity);
    }
    stored.put("scheduling", scheduling);
    copy(rest, stored, "security", "serviceAccount", "imagePullSecret", "volumes");
    Map<String, Object> parallelism = new LinkedHashMap<>();
    copy(rest, parallelism, "parallelism", "completions");
    stored.put("parallelism", parallelism);
    Optional.ofNullable(rest.get("timeoutSeconds"))
        .ifPresent(t -> stored.put("timeout", seconds(t).toString()));
    copy(rest, stored, "retryLimit", "cleanupPolicy", "istioSidecar");
    Map<String, Object> service = (Map<String, Object>) rest.get("service");
    if (service != null) {
      Map<String, Object> storedService = new LinkedHashMap<>(service);
      storedService.put("protocol", ((String) service.get("protocol")).toUpperCase(Locale.ROOT));
      storedService.remove("healthIntervalMs");
      storedService.remove("requestTimeoutMs");
      storedService.remove("startTimeoutSeconds");
      storedService.put("healthInterval", ofMillis(service.get("healthIntervalMs")).toString());
      storedService.put("requestTimeout", ofMillis(service.get("requestTimeoutMs")).toString());
      storedService.put("startTimeout", seconds(service.get("startTimeoutSeconds")).toString());
      stored.put("service", storedService);
    }
    copy(rest, stored, "inputSchema", "outputSchema");
    return stored;
  }

  /**
   * {@code items} with their {@code operator} and {@code effect} renamed: the stored document keeps
   * the domain's constant names ({@code NO_SCHEDULE}), the REST API Kubernetes' own ({@code
   * NoSchedule}), as a Kubernetes user writes them.
   */
  private static List<Map<String, Object>> renamed(
      List<Map<String, Object>> items, UnaryOperator<String> rename) {
    return items.stream()
        .map(
            item -> {
              Map<String, Object> copy = new LinkedHashMap<>(item);
              for (String field : List.of("operator", "effect")) {
                if (copy.get(field) instanceof String name) {
                  copy.put(field, rename.apply(name));
                }
              }
              return copy;
            })
        .toList();
  }

  /** {@code DOES_NOT_EXIST} to {@code DoesNotExist}. */
  static String kubernetesName(String constant) {
    StringBuilder name = new StringBuilder();
    for (String word : constant.split("_")) {
      if (!word.isEmpty()) {
        name.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
      }
    }
    return name.toString();
  }

  /** {@code DoesNotExist} to {@code DOES_NOT_EXIST}. */
  static String constantName(String kubernetes) {
    return kubernetes.replaceAll("(?<=[a-z0-9])(?=[A-Z])", "_").toUpperCase(Locale.ROOT);
  }

  private static long millis(Object isoDuration) {
    return Duration.parse((String) isoDuration).toMillis();
  }

  private static Duration ofMillis(Object millis) {
    return Duration.ofMillis(number(millis, "a duration in milliseconds"));
  }

  private static Duration seconds(Object seconds) {
    return Duration.ofSeconds(number(seconds, "a duration in seconds"));
  }

  private static long number(Object value, String what) {
    if (value instanceof Number n) {
      return n.longValue();
    }
    throw new IllegalArgumentException("'" + value + "' is not " + what);
  }

  private static void copy(Map<String, Object> from, Map<String, Object> to, String... fields) {
    for (String field : fields) {
      putIfPresent(to, field, from.get(field));
    }
  }

  private static void putIfPresent(Map<String, Object> to, String field, Object value) {
    if (value != null) {
      to.put(field, value);
    }
  }
}
