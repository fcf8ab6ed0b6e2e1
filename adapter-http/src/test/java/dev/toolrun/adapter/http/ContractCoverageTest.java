package dev.toolrun.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.adapter.http.ContractCoverage.Observed;
import dev.toolrun.adapter.http.ContractCoverage.Operation;
import dev.toolrun.adapter.http.contract.ApiContract;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Holds {@code openapi.yaml} and the behaviour to each other: every status the document lists for
 * an operation is answered to some test of this module, and no test is answered a status the
 * document does not list for its operation.
 *
 * <p>It runs last (see {@code junit-platform.properties}) and reads what {@link ContractCoverage}
 * recorded from the tests before it; alone (a {@code -Dtest} run naming only it) it has nothing to
 * judge and is skipped. What it found is also written to {@code target/contract-coverage.txt}.
 */
@Order(Integer.MAX_VALUE)
class ContractCoverageTest {
  /**
   * Statuses any request may be answered, whatever its operation; {@code info.description} of the
   * document lists them once, instead of every operation listing them.
   */
  static final Map<Integer, String> ANY_OPERATION =
      Map.of(
          414, "the request line is too long; answered before the request is routed",
          431, "the headers are too large; answered before the request is routed",
          500, "INTERNAL_ERROR, a bug of toolrun's; never the answer to a user's mistake");

  /**
   * Statuses the document lists that no test of this module can produce, each with the reason and
   * the test that does produce it. Keep it short: an entry is a status these tests do not prove.
   */
  static final Map<Observed, String> PRODUCED_ELSEWHERE = Map.of();

  private static final Path REPORT = Path.of("target", "contract-coverage.txt");

  private static Set<Observed> observed;

  @BeforeAll
  static void takeWhatTheOtherTestsSaw() throws IOException {
    observed = ContractCoverage.observed();
    Assumptions.assumeFalse(
        observed.isEmpty(),
        "no answers were recorded: run this test with the whole adapter-http suite");
    Files.createDirectories(REPORT.getParent());
    Files.writeString(REPORT, report(), StandardCharsets.UTF_8);
  }

  @Test
  void everyStatusATestSawIsDocumentedForItsOperation() {
    List<String> undocumented = new ArrayList<>();
    for (Observed seen : new TreeSet<>(observed)) {
      Operation operation = operation(seen.operation());
      if (!operation.statuses().contains(seen.status())
          && !ANY_OPERATION.containsKey(seen.status())) {
        undocumented.add(
            "%s %s (%s) answered %d"
                .formatted(
                    operation.method(), operation.template(), seen.operation(), seen.status()));
      }
    }

    assertThat(undocumented)
        .as("statuses the tests saw that openapi.yaml does not list for the operation")
        .isEmpty();
  }

  @Test
  void everyDocumentedStatusIsProducedBySomeTest() {
    List<String> missing = new ArrayList<>();
    for (Operation operation : ContractCoverage.documented()) {
      for (int status : operation.statuses()) {
        Observed pair = new Observed(operation.id(), status);
        if (!observed.contains(pair) && !PRODUCED_ELSEWHERE.containsKey(pair)) {
          missing.add(
              "%s %s (%s) %d"
                  .formatted(operation.method(), operation.template(), pair.operation(), status));
        }
      }
    }

    assertThat(missing)
        .as("statuses openapi.yaml lists that no test of adapter-http produced")
        .isEmpty();
  }

  @Test
  void theStatusesOfAnyOperationAreDocumentedOnce() {
    String description =
        ApiContract.parse(ApiContract.document()).getJsonObject("info").getString("description");

    for (int status : ANY_OPERATION.keySet()) {
      assertThat(description)
          .as("info.description of openapi.yaml")
          .contains(Integer.toString(status));
    }
  }

  @Test
  void everyStatusProducedElsewhereIsDocumentedAndNotProducedHere() {
    for (Observed pair : PRODUCED_ELSEWHERE.keySet()) {
      assertThat(operation(pair.operation()).statuses())
          .as("%s is allowed to be produced elsewhere, but the document does not list it", pair)
          .contains(pair.status());
      assertThat(observed)
          .as("%s is produced here after all; remove it from PRODUCED_ELSEWHERE", pair)
          .doesNotContain(pair);
    }
  }

  private static Operation operation(String id) {
    return ContractCoverage.documented().stream()
        .filter(o -> o.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no operation " + id));
  }

  private static String report() {
    StringBuilder report = new StringBuilder("operation\tstatus\tverdict\n");
    for (Operation operation : ContractCoverage.documented()) {
      Set<Integer> statuses = new TreeSet<>(operation.statuses());
      observed.stream()
          .filter(o -> o.operation().equals(operation.id()))
          .forEach(o -> statuses.add(o.status()));
      for (int status : statuses) {
        Observed pair = new Observed(operation.id(), status);
        String verdict;
        if (!operation.statuses().contains(status)) {
          verdict =
              ANY_OPERATION.containsKey(status) ? "seen, any operation" : "seen, UNDOCUMENTED";
        } else if (observed.contains(pair)) {
          verdict = "seen";
        } else if (PRODUCED_ELSEWHERE.containsKey(pair)) {
          verdict = "produced elsewhere: " + PRODUCED_ELSEWHERE.get(pair);
        } else {
          verdict = "MISSING";
        }
        report
            .append(operation.id())
            .append('\t')
            .append(status)
            .append('\t')
            .append(verdict)
            .append('\n');
      }
    }
    return report.toString();
  }
}
