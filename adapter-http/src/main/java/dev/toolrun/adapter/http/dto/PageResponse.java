package dev.toolrun.adapter.http.dto;

import java.util.List;

/** One page of a listing; {@code nextCursor} is absent on the last page. */
public record PageResponse<T>(List<T> items, String nextCursor) {}
