package dev.toolrun.domain.tool;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.Violations;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A workload that runs {@code source} with the interpreter of {@code language}. */
public record Script(ScriptLanguage language, String source, List<String> args)
    implements Workload {
  /** Scripts travel in a ConfigMap (1 MiB in all), which also carries the parameters. */
  public static final int MAX_SOURCE_BYTES = 512 * 1024;

  public Script {
    requireNonNull(language, "language is null");
    requireNonNull(source, "source is null");
    args = List.copyOf(requireNonNull(args, "args is null"));
    var violations = new Violations();
    violations.check(source.isBlank(), "source", "must not be empty");
    violations.check(
        source.getBytes(StandardCharsets.UTF_8).length > MAX_SOURCE_BYTES,
        "source",
        "must be at most %d bytes of UTF-8".formatted(MAX_SOURCE_BYTES));
    violations.throwIfAny();
  }

  public static Script of(ScriptLanguage language, String source) {
    return new Script(language, source, List.of());
  }
}
