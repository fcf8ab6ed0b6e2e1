package dev.toolrun.adapter.http;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/** Serves the OpenAPI document the API is built from. */
final class ContractRoutes {
  private static final String YAML = "application/yaml; charset=utf-8";

  private final byte[] document;

  ContractRoutes(byte[] document) {
    this.document = requireNonNull(document, "document is null").clone();
  }

  Map<ApiOperation, Endpoint> endpoints() {
    return Map.of(
        ApiOperation.GET_API_DOCUMENT, Endpoint.immediate(request -> Reply.bytes(YAML, document)));
  }
}
