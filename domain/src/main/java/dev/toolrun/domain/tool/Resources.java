package dev.toolrun.domain.tool;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** CPU (cores) and memory (bytes) requests and limits, and optional GPUs. */
public record Resources(ResourceRange cpu, ResourceRange memory, Optional<Gpu> gpu) {
  public static final Resources NONE =
      new Resources(ResourceRange.UNBOUNDED, ResourceRange.UNBOUNDED, Optional.empty());

  public Resources {
    requireNonNull(cpu, "cpu is null");
    requireNonNull(memory, "memory is null");
    requireNonNull(gpu, "gpu is null");
  }
}
