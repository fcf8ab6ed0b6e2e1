package dev.toolrun.adapter.http.dto;

import java.time.Instant;

/** One version of a tool. */
public record ToolResponse(
    String name,
    int version,
    String description,
    String mode,
    SpecDto spec,
    Instant registeredAt) {}
