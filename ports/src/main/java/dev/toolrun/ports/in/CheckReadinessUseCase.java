package dev.toolrun.ports.in;

import dev.toolrun.ports.out.Leadership;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Whether toolrun can do its work now, for a readiness probe. */
public interface CheckReadinessUseCase {

  /** The readiness now; answers at once, without calling the runtime. */
  Readiness check();

  /**
   * @param problems why toolrun cannot do its work, one sentence each; empty when it can
   * @param warnings what limits its work without stopping it (launches refused while the records in
   *     memory are at their budget), one sentence each; they do not make it unready
   * @param role the part this replica plays among several (leader or standby); empty for the sole
   *     toolrun
   */
  record Readiness(List<String> problems, List<String> warnings, Optional<Leadership.Role> role) {
    public static final Readiness READY = new Readiness(List.of(), List.of());

    public Readiness {
      problems = List.copyOf(problems);
      warnings = List.copyOf(warnings);
      role = Objects.requireNonNull(role, "role is null");
    }

    public Readiness(List<String> problems, List<String> warnings) {
      this(problems, warnings, Optional.empty());
    }

    /** A readiness with {@code problems} and no warnings. */
    public Readiness(List<String> problems) {
      this(problems, List.of());
    }

    /** This readiness of a replica playing {@code role}. */
    public Readiness in(Optional<Leadership.Role> role) {
      return new Readiness(problems, warnings, role);
    }

    public boolean ready() {
      return problems.isEmpty();
    }

    /** This readiness with {@code more} warnings. */
    public Readiness warning(List<String> more) {
      if (more.isEmpty()) {
        return this;
      }
      List<String> all = new ArrayList<>(warnings);
      all.addAll(more);
      return new Readiness(problems, all, role);
    }
  }
}
