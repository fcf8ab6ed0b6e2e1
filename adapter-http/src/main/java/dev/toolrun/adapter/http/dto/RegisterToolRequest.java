package dev.toolrun.adapter.http.dto;

/** The body of {@code PUT /v1/tools/{name}}. */
public record RegisterToolRequest(String description, SpecDto spec) {}
