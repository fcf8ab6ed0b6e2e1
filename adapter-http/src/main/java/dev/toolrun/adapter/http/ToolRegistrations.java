package dev.toolrun.adapter.http;

import dev.toolrun.adapter.http.dto.RegisterToolRequest;
import dev.toolrun.adapter.http.mapping.JsonCodec;
import dev.toolrun.adapter.http.mapping.ToolMapper;
import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.ports.in.RegisterToolUseCase.RegisterToolCommand;
import java.util.Map;
import tools.jackson.core.JacksonException;

/**
 * Reads a registration in the REST API's terms, a {@code PUT /v1/tools/{name}} body, from a JSON
 * object held elsewhere: a Tool custom resource applied with kubectl is registered through this, so
 * that it gets the very checks and defaults, and the same violations at the same paths, that the
 * REST API gives (the app hands it to the Kubernetes adapter; adapters do not see each other).
 */
public final class ToolRegistrations {
  private ToolRegistrations() {}

  /**
   * The command that {@code PUT /v1/tools/{name}} with {@code body} would make.
   *
   * @param body {@code description} and {@code spec}, as the REST API takes them
   * @throws ValidationException listing every violation, at the paths the REST API's 400 gives
   */
  public static RegisterToolCommand read(String name, Map<String, Object> body) {
    RegisterToolRequest request;
    try {
      request = JsonCodec.read(JsonCodec.write(body), RegisterToolRequest.class);
    } catch (JacksonException e) {
      // A schema-checked custom resource fits the type; the parser's message may quote a value.
      throw ValidationException.of("spec", "does not fit the tool spec of the REST API");
    }
    return ToolMapper.toCommand(name, request);
  }
}
