package dev.toolrun.adapter.k8s.job;

import dev.toolrun.adapter.k8s.KubernetesConfig;
import dev.toolrun.domain.tool.ServiceSettings;
import dev.toolrun.ports.out.Launch;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The network policy of a service instance whose tool asks for network isolation: part of what
 * {@link JobFactory} builds.
 */
final class ServiceIsolation {
  private ServiceIsolation() {}

  /**
   * For an isolated service: admit only toolrun's own pods and the configured ranges, on its port.
   */
  static Optional<NetworkPolicy> networkPolicy(
      ObjectMeta metadata, Launch launch, KubernetesConfig config) {
    Optional<ServiceSettings> service =
        launch.tool().spec().service().filter(ServiceSettings::networkIsolation);
    if (service.isEmpty()) {
      return Optional.empty();
    }
    List<NetworkPolicyPeer> peers = new ArrayList<>();
    peers.add(
        new NetworkPolicyPeerBuilder()
            .withNewPodSelector()
            .addToMatchLabels(JobFactory.TOOLRUN_APP_LABEL, WorkloadLabels.MANAGER)
            .endPodSelector()
            .build());
    for (String cidr : config.isolationAllowedCidrs()) {
      peers.add(
          new NetworkPolicyPeerBuilder().withNewIpBlock().withCidr(cidr).endIpBlock().build());
    }
    return Optional.of(
        new NetworkPolicyBuilder()
            .withMetadata(metadata)
            .withNewSpec()
            .withNewPodSelector()
            .addToMatchLabels(WorkloadLabels.INSTANCE, launch.instance().id().value())
            .endPodSelector()
            .withPolicyTypes("Ingress")
            .addNewIngress()
            .withFrom(peers)
            .addNewPort()
            .withProtocol("TCP")
            .withPort(new IntOrString(service.get().port()))
            .endPort()
            .endIngress()
            .endSpec()
            .build());
  }
}
