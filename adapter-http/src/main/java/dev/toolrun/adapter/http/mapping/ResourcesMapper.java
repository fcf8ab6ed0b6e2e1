package dev.toolrun.adapter.http.mapping;

import static dev.toolrun.adapter.http.mapping.Fields.orElse;

import dev.toolrun.adapter.http.dto.SpecDto.GpuDto;
import dev.toolrun.adapter.http.dto.SpecDto.RangeDto;
import dev.toolrun.adapter.http.dto.SpecDto.ResourcesDto;
import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.error.Violations;
import dev.toolrun.domain.tool.Gpu;
import dev.toolrun.domain.tool.Quantity;
import dev.toolrun.domain.tool.ResourceRange;
import dev.toolrun.domain.tool.Resources;
import java.util.Optional;

/** Maps a tool's CPU, memory and GPU between their JSON form and {@link Resources}. */
final class ResourcesMapper {
  private ResourcesMapper() {}

  /**
   * The resources {@code dto} describes.
   *
   * @throws ValidationException listing every violation, with paths relative to the resources
   */
  static Resources toDomain(ResourcesDto dto) {
    var v = new Violations();
    ResourceRange cpu =
        dto.cpu() == null ? ResourceRange.UNBOUNDED : v.attempt("cpu", () -> range(dto.cpu()));
    ResourceRange memory =
        dto.memory() == null
            ? ResourceRange.UNBOUNDED
            : v.attempt("memory", () -> range(dto.memory()));
    Optional<Gpu> gpu =
        dto.gpu() == null
            ? Optional.empty()
            : Optional.ofNullable(v.attempt("gpu", () -> gpu(dto.gpu())));
    v.throwIfAny();
    return new Resources(cpu, memory, gpu);
  }

  private static ResourceRange range(RangeDto dto) {
    var v = new Violations();
    Optional<Quantity> request = quantity(dto.request(), "request", v);
    Optional<Quantity> limit = quantity(dto.limit(), "limit", v);
    v.throwIfAny();
    return new ResourceRange(request, limit);
  }

  private static Optional<Quantity> quantity(String text, String field, Violations v) {
    return text == null
        ? Optional.empty()
        : Optional.ofNullable(v.attempt(field, () -> Quantity.parse(text)));
  }

  private static Gpu gpu(GpuDto dto) {
    if (dto.count() == null) {
      throw ValidationException.of("count", "is required");
    }
    return new Gpu(dto.count(), orElse(dto.resourceName(), Gpu.DEFAULT_RESOURCE));
  }

  /** The JSON form of {@code resources}. */
  static ResourcesDto toDto(Resources resources) {
    return new ResourcesDto(
        range(resources.cpu()),
        range(resources.memory()),
        resources.gpu().map(g -> new GpuDto(g.count(), g.resourceName())).orElse(null));
  }

  private static RangeDto range(ResourceRange range) {
    return new RangeDto(
        range.request().map(Quantity::text).orElse(null),
        range.limit().map(Quantity::text).orElse(null));
  }
}
