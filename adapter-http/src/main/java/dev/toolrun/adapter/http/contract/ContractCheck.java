package dev.toolrun.adapter.http.contract;

import dev.toolrun.adapter.http.auth.BearerAuthenticator;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.SecurityRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks, before the server starts, that {@code openapi.yaml} and the server agree: the server
 * binds operations by {@link ApiOperation} and checks tokens by path in {@link
 * BearerAuthenticator}, so a contract that names another operation, or secures another path, would
 * otherwise be served wrongly without a word.
 */
public final class ContractCheck {
  private ContractCheck() {}

  /**
   * Checks that {@code contract} and {@link ApiOperation} name the same operations, and that
   * exactly the operations under {@code /v1} require authentication, which is what {@link
   * BearerAuthenticator} enforces.
   *
   * @throws IllegalStateException listing every disagreement
   */
  public static void check(OpenAPIContract contract) {
    List<String> problems = new ArrayList<>();
    Set<String> declared = new TreeSet<>();
    for (Operation operation : contract.operations()) {
      String id = operation.getOperationId();
      declared.add(id);
      if (ApiOperation.byOperationId(id).isEmpty()) {
        problems.add("operation " + id + " is not in ApiOperation");
      }
      boolean secured =
          !operation.getSecurityRequirements().isEmpty()
              && operation.getSecurityRequirements().stream()
                  .noneMatch(SecurityRequirement::isEmpty);
      boolean isProtected = BearerAuthenticator.isProtected(operation.getOpenAPIPath());
      if (secured != isProtected) {
        problems.add(
            "operation %s at %s %s a bearer token, but the server %s one"
                .formatted(
                    id,
                    operation.getOpenAPIPath(),
                    secured ? "requires" : "does not require",
                    isProtected ? "requires" : "does not require"));
      }
    }
    for (ApiOperation operation : ApiOperation.values()) {
      if (!declared.contains(operation.operationId())) {
        problems.add("ApiOperation " + operation + " is not in the contract");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException("openapi.yaml and the server disagree: " + problems);
    }
  }
}
