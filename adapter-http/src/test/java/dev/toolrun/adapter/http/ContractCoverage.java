package dev.toolrun.adapter.http;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.http.contract.ApiContract;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every answer the tests of this module got from the API, by operation of {@code openapi.yaml} and
 * status, for {@link ContractCoverageTest} to hold against the document.
 *
 * <p>The tests' clients ({@link TestApi}, and the few tests with a client of their own) report each
 * answer here. Surefire runs all test classes of the module in one JVM and one JUnit run (the
 * default {@code forkCount=1}, {@code reuseForks=true}), so one static record sees them all.
 */
final class ContractCoverage {
  private static final Set<Observed> OBSERVED = ConcurrentHashMap.newKeySet();
  private static final Pattern PARAMETER = Pattern.compile("\\{[^}]+}");
  private static final List<Operation> OPERATIONS = operations();

  private ContractCoverage() {}

  /**
   * Records that {@code method} on {@code target} (a path, with or without a query) was answered
   * {@code status}; answers that belong to no operation of the document (an unknown path, a method
   * the path does not have) are not recorded, as there is no operation to hold them to.
   */
  static void record(String method, String target, int status) {
    requireNonNull(method, "method is null");
    requireNonNull(target, "target is null");
    operation(method, target)
        .ifPresent(operation -> OBSERVED.add(new Observed(operation.id(), status)));
  }

  /** Every (operation, status) recorded so far. */
  static Set<Observed> observed() {
    return Set.copyOf(OBSERVED);
  }

  /** Every operation of the document with the statuses it lists. */
  static List<Operation> documented() {
    return OPERATIONS;
  }

  /** The operation of the document that serves {@code method} on {@code target}, if any. */
  static Optional<Operation> operation(String method, String target) {
    int query = target.indexOf('?');
    String path = query < 0 ? target : target.substring(0, query);
    return OPERATIONS.stream()
        .filter(o -> o.method().equalsIgnoreCase(method) && o.path().matcher(path).matches())
        .findFirst();
  }

  private static List<Operation> operations() {
    JsonObject paths = ApiContract.parse(ApiContract.document()).getJsonObject("paths");
    List<Operation> operations = new ArrayList<>();
    for (String template : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(template);
      for (String method : item.fieldNames()) {
        if (method.equals("parameters")) {
          continue;
        }
        JsonObject operation = item.getJsonObject(method);
        Set<Integer> statuses = new TreeSet<>();
        for (String status : operation.getJsonObject("responses").fieldNames()) {
          statuses.add(Integer.parseInt(status));
        }
        operations.add(
            new Operation(
                operation.getString("operationId"),
                method.toUpperCase(Locale.ROOT),
                template,
                pattern(template),
                operation.containsKey("requestBody"),
                Set.copyOf(statuses)));
      }
    }
    return List.copyOf(operations);
  }

  // A path parameter stands for one non-empty segment, as the router matches it.
  private static Pattern pattern(String template) {
    StringBuilder regex = new StringBuilder();
    Matcher parameter = PARAMETER.matcher(template);
    int literal = 0;
    while (parameter.find()) {
      regex.append(Pattern.quote(template.substring(literal, parameter.start()))).append("[^/]+");
      literal = parameter.end();
    }
    regex.append(Pattern.quote(template.substring(literal)));
    return Pattern.compile(regex.toString());
  }

  /**
   * An operation of the document: its id, method, path template, whether it takes a body and the
   * statuses it lists.
   */
  record Operation(
      String id,
      String method,
      String template,
      Pattern path,
      boolean takesBody,
      Set<Integer> statuses) {
    @Override
    public String toString() {
      return method + " " + template + " (" + id + ")";
    }
  }

  /** One status some test saw an operation answer. */
  record Observed(String operation, int status) implements Comparable<Observed> {
    @Override
    public int compareTo(Observed other) {
      int byOperation = operation.compareTo(other.operation);
      return byOperation != 0 ? byOperation : Integer.compare(status, other.status);
    }

    @Override
    public String toString() {
      return operation + " " + status;
    }
  }
}
