package dev.toolrun.adapter.k8s.job;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules of the Kubernetes "restricted" Pod Security Standard (baseline included), checked on a
 * pod template: for servers older than 1.23, which do not enforce it themselves.
 */
final class RestrictedPodSecurityStandard {
  private RestrictedPodSecurityStandard() {}

  /** Every rule the template breaks; empty when it complies. */
  static List<String> violations(PodTemplateSpec template) {
    List<String> found = new ArrayList<>();
    PodSpec pod = template.getSpec();
    PodSecurityContext podSecurity =
        Optional.ofNullable(pod.getSecurityContext()).orElse(new PodSecurityContext());
    Map<String, String> annotations =
        Optional.ofNullable(template.getMetadata().getAnnotations()).orElse(Map.of());
    if (Boolean.TRUE.equals(pod.getHostNetwork())
        || Boolean.TRUE.equals(pod.getHostPID())
        || Boolean.TRUE.equals(pod.getHostIPC())) {
      found.add("host namespaces must not be shared");
    }
    for (Volume v : Optional.ofNullable(pod.getVolumes()).orElse(List.of())) {
      boolean allowed =
          v.getConfigMap() != null
              || v.getCsi() != null
              || v.getDownwardAPI() != null
              || v.getEmptyDir() != null
              || v.getEphemeral() != null
              || v.getPersistentVolumeClaim() != null
              || v.getProjected() != null
              || v.getSecret() != null;
      if (!allowed) {
        found.add("volume " + v.getName() + " has a type the standard forbids");
      }
    }
    boolean podSeccomp =
        podSecurity.getSeccompProfile() != null
                && List.of("RuntimeDefault", "Localhost")
                    .contains(podSecurity.getSeccompProfile().getType())
            || "runtime/default"
                .equals(annotations.get("seccomp.security.alpha.kubernetes.io/pod"));
    if (podSecurity.getRunAsUser() != null && podSecurity.getRunAsUser() == 0) {
      found.add("runAsUser must not be 0");
    }
    List<Container> containers = new ArrayList<>(pod.getContainers());
    containers.addAll(Optional.ofNullable(pod.getInitContainers()).orElse(List.of()));
    for (Container c : containers) {
      SecurityContext sc =
          Optional.ofNullable(c.getSecurityContext()).orElse(new SecurityContext());
      String where = "container " + c.getName() + ": ";
      if (Boolean.TRUE.equals(sc.getPrivileged())) {
        found.add(where + "must not be privileged");
      }
      if (!Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
        found.add(where + "allowPrivilegeEscalation must be false");
      }
      if (!Boolean.TRUE.equals(sc.getRunAsNonRoot())
          && !Boolean.TRUE.equals(podSecurity.getRunAsNonRoot())) {
        found.add(where + "runAsNonRoot must be true");
      }
      if (sc.getRunAsUser() != null && sc.getRunAsUser() == 0) {
        found.add(where + "runAsUser must not be 0");
      }
      boolean containerSeccomp =
          sc.getSeccompProfile() != null
              && List.of("RuntimeDefault", "Localhost").contains(sc.getSeccompProfile().getType());
      if (!podSeccomp && !containerSeccomp) {
        found.add(where + "seccomp profile must be RuntimeDefault or Localhost");
      }
      Capabilities caps = Optional.ofNullable(sc.getCapabilities()).orElse(new Capabilities());
      if (caps.getDrop() == null || !caps.getDrop().contains("ALL")) {
        found.add(where + "capabilities must drop ALL");
      }
      if (caps.getAdd() != null
          && caps.getAdd().stream().anyMatch(a -> !a.equals("NET_BIND_SERVICE"))) {
        found.add(where + "capabilities may add only NET_BIND_SERVICE");
      }
      for (ContainerPort p : Optional.ofNullable(c.getPorts()).orElse(List.of())) {
        if (p.getHostPort() != null && p.getHostPort() != 0) {
          found.add(where + "host ports are forbidden");
        }
      }
    }
    return found;
  }
}
