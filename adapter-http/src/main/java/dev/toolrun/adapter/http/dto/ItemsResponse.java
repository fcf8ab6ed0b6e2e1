package dev.toolrun.adapter.http.dto;

import java.util.List;

/** A complete, unpaged listing. */
public record ItemsResponse<T>(List<T> items) {}
