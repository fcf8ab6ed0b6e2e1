package dev.toolrun.adapter.http.mapping;

import static dev.toolrun.adapter.http.mapping.Fields.orElse;

import dev.toolrun.adapter.http.dto.SpecDto;
import dev.toolrun.adapter.http.dto.SpecDto.ImageDto;
import dev.toolrun.adapter.http.dto.SpecDto.ScriptDto;
import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.error.Violation;
import dev.toolrun.domain.error.Violations;
import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.Script;
import dev.toolrun.domain.tool.ScriptLanguage;
import dev.toolrun.domain.tool.Workload;
import java.util.List;

/** Maps what a tool runs, an image or a script, between its JSON form and {@link Workload}. */
final class WorkloadMapper {
  private WorkloadMapper() {}

  /** The workload of {@code dto}, which must give exactly one of image and script; or null. */
  static Workload toDomain(SpecDto dto, Violations v) {
    if (dto.image() != null && dto.script() != null) {
      v.add("", "needs exactly one of image or script; both were given");
      return null;
    }
    if (dto.image() == null && dto.script() == null) {
      v.add("", "needs exactly one of image or script; neither was given");
      return null;
    }
    return dto.image() != null
        ? v.attempt("image", () -> image(dto.image()))
        : v.attempt("script", () -> script(dto.script()));
  }

  private static ContainerImage image(ImageDto dto) {
    try {
      return new ContainerImage(
          orElse(dto.name(), ""), orElse(dto.command(), List.of()), orElse(dto.args(), List.of()));
    } catch (ValidationException e) {
      // The domain calls the reference "image"; in the API it is the image's "name".
      throw new ValidationException(
          e.violations().stream()
              .map(x -> x.field().equals("image") ? new Violation("name", x.message()) : x)
              .toList());
    }
  }

  private static Script script(ScriptDto dto) {
    var v = new Violations();
    ScriptLanguage language =
        WireNames.parseRequired(ScriptLanguage.class, WireNames::of, dto.language(), v, "language");
    Script script =
        v.attempt(
            "",
            () ->
                new Script(
                    orElse(language, ScriptLanguage.SHELL),
                    orElse(dto.source(), ""),
                    orElse(dto.args(), List.of())));
    v.throwIfAny();
    return script;
  }

  /** The image field of {@code workload}'s JSON form; null when it is a script. */
  static ImageDto toImageDto(Workload workload) {
    return workload instanceof ContainerImage c
        ? new ImageDto(c.image(), c.command(), c.args())
        : null;
  }

  /** The script field of {@code workload}'s JSON form; null when it is an image. */
  static ScriptDto toScriptDto(Workload workload) {
    return workload instanceof Script s
        ? new ScriptDto(WireNames.of(s.language()), s.source(), s.args())
        : null;
  }
}
