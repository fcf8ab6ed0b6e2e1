package dev.toolrun.adapter.http.error;

import static java.util.Objects.requireNonNull;

/**
 * Fails a request with a problem the HTTP layer already described (a missing token, a body that is
 * not JSON); it is an expected outcome, so it carries no stack trace.
 */
public final class ProblemException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Problem problem;

  public ProblemException(Problem problem) {
    super(requireNonNull(problem, "problem is null").message(), null, false, false);
    this.problem = problem;
  }

  Problem problem() {
    return problem;
  }
}
