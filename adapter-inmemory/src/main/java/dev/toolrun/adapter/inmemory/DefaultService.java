package dev.toolrun.adapter.inmemory;

import dev.toolrun.domain.instance.ServiceRequest;
import dev.toolrun.domain.instance.ServiceResponse;
import dev.toolrun.domain.json.JsonText;
import dev.toolrun.domain.tool.Workload;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What a service does when no test scripted it: it reports itself healthy and echoes every other
 * request back, saying plainly that the in-memory runtime answered and nothing was executed.
 */
final class DefaultService {
  /** The {@code Server} header of every answer the in-memory runtime makes up. */
  static final String SERVER = "toolrun in-memory runtime";

  private DefaultService() {}

  /** The answer of an unscripted service to {@code call}. */
  static CompletionStage<ServiceResponse> answer(ServiceCall call) {
    if (call.isHealthCheck()) {
      return CompletableFuture.completedFuture(ServiceBehaviour.json(200, "{\"status\":\"UP\"}"));
    }
    ServiceResponse echo = ServiceBehaviour.json(200, JsonText.write(echo(call)));
    // HTTP: the answer to HEAD has the headers of the answer to GET, and no body.
    return CompletableFuture.completedFuture(
        call.request().method().equals("HEAD")
            ? new ServiceResponse(200, echo.headers(), new byte[0])
            : echo);
  }

  private static Map<String, Object> echo(ServiceCall call) {
    ServiceRequest request = call.request();
    Map<String, Object> echo = new LinkedHashMap<>();
    echo.put("runtime", "in-memory");
    echo.put("note", "nothing is executed: the in-memory runtime echoes the request it was sent");
    echo.put("instance", call.instance().value());
    echo.put("workload", BigDecimal.valueOf(call.workload()));
    echo.put("method", request.method());
    echo.put("path", request.path());
    echo.put("headers", request.headers());
    byte[] body = request.body();
    try {
      echo.put("body", utf8(body));
    } catch (CharacterCodingException e) {
      echo.put("bodyBase64", Base64.getEncoder().encodeToString(body));
    }
    return echo;
  }

  // Strict: a body that is not UTF-8 is reported as base64, never as text full of replacements.
  private static String utf8(byte[] body) throws CharacterCodingException {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(body))
        .toString();
  }

  /**
   * The log lines of a service's workload number {@code workload} (1, then one more per restart).
   */
  static List<String> startLines(Workload running, int port, int workload) {
    return List.of(
        DefaultScenario.LOG_PREFIX
            + (workload == 1 ? "running " : "restarted as workload " + workload + ": running ")
            + DefaultScenario.describe(running)
            + " as a service (port "
            + port
            + ")",
        DefaultScenario.LOG_PREFIX
            + "nothing is executed: the in-memory runtime answers the requests sent to port "
            + port
            + " until the service is stopped");
  }
}
