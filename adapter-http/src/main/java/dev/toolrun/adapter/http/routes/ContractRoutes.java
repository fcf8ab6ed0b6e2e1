package dev.toolrun.adapter.http.routes;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.http.contract.ApiOperation;
import java.util.Map;

/** Serves the OpenAPI document the API is built from. */
final class ContractRoutes extends Routes {
  private static final String YAML = "application/yaml; charset=utf-8";

  private final byte[] document;

  ContractRoutes(byte[] document) {
    this.document = requireNonNull(document, "document is null").clone();
  }

  @Override
  Map<ApiOperation, Endpoint> endpoints() {
    return Map.of(
        ApiOperation.GET_API_DOCUMENT, Endpoint.immediate(request -> Reply.bytes(YAML, document)));
  }
}
