package dev.toolrun.adapter.http.dto;

/** The body of {@code PUT /v1/runtime/pools/{tool}}. */
public record ResizePoolRequest(Integer size) {}
