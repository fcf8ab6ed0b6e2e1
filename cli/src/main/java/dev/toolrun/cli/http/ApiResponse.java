package dev.toolrun.cli.http;

import static java.util.Objects.requireNonNull;

import tools.jackson.databind.JsonNode;

/** A successful answer: its status and its JSON body (a missing node when it had none). */
public record ApiResponse(int status, JsonNode body) {
  public ApiResponse {
    requireNonNull(body, "body is null");
  }
}
