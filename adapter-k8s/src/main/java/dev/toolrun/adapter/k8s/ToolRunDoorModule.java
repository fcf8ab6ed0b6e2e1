package dev.toolrun.adapter.k8s;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.toolrun.ports.in.CancelInstanceUseCase;
import dev.toolrun.ports.in.GetInstanceUseCase;
import dev.toolrun.ports.in.LaunchInstanceUseCase;
import dev.toolrun.ports.in.StopInstanceUseCase;
import dev.toolrun.ports.out.Leadership;

/**
 * Binds the {@link ToolRunDoor}, for a toolrun whose records are ToolRuns ({@code
 * kubernetes.records=resources}); installed beside {@link KubernetesAdapterModule} only then. It
 * expects the application to bind the core's use cases and its {@link Leadership}.
 */
public final class ToolRunDoorModule extends AbstractModule {
  @Provides
  @Singleton
  static ToolRunDoor toolRunDoor(
      KubernetesAdapter kubernetes,
      LaunchInstanceUseCase launch,
      CancelInstanceUseCase cancel,
      StopInstanceUseCase stop,
      GetInstanceUseCase get,
      Leadership leadership) {
    return kubernetes.toolRunDoor(launch, cancel, stop, get, leadership);
  }
}
