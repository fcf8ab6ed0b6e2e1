package dev.toolrun.adapter.k8s;

import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.ports.in.RegisterToolUseCase.RegisterToolCommand;
import java.util.Map;

/**
 * Reads a registration request in the REST API's terms: what {@code PUT /v1/tools/{name}} makes of
 * its body. A Tool applied with kubectl holds the REST API's tool spec, and is registered exactly
 * as that PUT would be; the reading is the HTTP adapter's, which the app hands over here, so there
 * is one reading of the REST spec and not two to keep in step.
 */
@FunctionalInterface
public interface ToolRequestReader {
  /**
   * The command registering {@code body} as the tool {@code name}.
   *
   * @param body {@code description} and {@code spec}, as a PUT's body holds them
   * @throws ValidationException listing every violation, at the paths the REST API gives
   */
  RegisterToolCommand read(String name, Map<String, Object> body);
}
