package dev.toolrun.ports.in;

import java.util.ArrayList;
import java.util.List;

/** Whether toolrun can do its work now, for a readiness probe. */
public interface CheckReadinessUseCase {

  /** The readiness now; answers at once, without calling the runtime. */
  Readiness check();

  /**
   * @param problems why toolrun cannot do its work, one sentence each; empty when it can
   * @param warnings what limits its work without stopping it (launches refused while the records in
   *     memory are at their budget), one sentence each; they do not make it unready
   */
  record Readiness(List<String> problems, List<String> warnings) {
    public static final Readiness READY = new Readiness(List.of(), List.of());

    public Readiness {
      problems = List.copyOf(problems);
      warnings = List.copyOf(warnings);
    }

    /** A readiness with {@code problems} and no warnings. */
    public Readiness(List<String> problems) {
      this(problems, List.of());
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
      return new Readiness(problems, all);
    }
  }
}
