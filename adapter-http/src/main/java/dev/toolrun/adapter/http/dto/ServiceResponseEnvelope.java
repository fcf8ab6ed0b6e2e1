package dev.toolrun.adapter.http.dto;

import java.util.List;
import java.util.Map;

/**
 * A service instance's answer to a forwarded request, whatever its status. Exactly one of {@code
 * body} (the bytes were UTF-8 text) and {@code bodyBase64} (they were not) is present.
 *
 * @param durationMs how long toolrun took to get the answer, waiting for a free slot included
 */
public record ServiceResponseEnvelope(
    int status,
    Map<String, List<String>> headers,
    String body,
    String bodyBase64,
    long durationMs) {}
