package dev.toolrun.adapter.http.contract;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every operation of {@code openapi.yaml}, by its {@code operationId}. Each one is bound to exactly
 * one endpoint of a route class, and {@link ContractCheck} holds the contract to this list; the
 * server refuses to start otherwise.
 */
public enum ApiOperation {
  REGISTER_TOOL("registerTool"),
  LIST_TOOLS("listTools"),
  GET_TOOL("getTool"),
  LIST_TOOL_VERSIONS("listToolVersions"),
  GET_TOOL_VERSION("getToolVersion"),
  DELETE_TOOL("deleteTool"),
  LAUNCH_INSTANCE("launchInstance"),
  LIST_INSTANCES("listInstances"),
  GET_INSTANCE("getInstance"),
  CANCEL_INSTANCE("cancelInstance"),
  STOP_INSTANCE("stopInstance"),
  EXECUTE_REQUEST("executeRequest"),
  GET_INSTANCE_LOGS("getInstanceLogs"),
  GET_RUNTIME_CAPABILITIES("getRuntimeCapabilities"),
  RESIZE_POOL("resizePool"),
  GET_LIVENESS("getLiveness"),
  GET_READINESS("getReadiness"),
  GET_METRICS("getMetrics"),
  GET_API_DOCUMENT("getApiDocument");

  private final String operationId;

  ApiOperation(String operationId) {
    this.operationId = operationId;
  }

  /** The operation's id in the contract. */
  public String operationId() {
    return operationId;
  }

  static Optional<ApiOperation> byOperationId(String operationId) {
    return Arrays.stream(values()).filter(o -> o.operationId.equals(operationId)).findFirst();
  }
}
