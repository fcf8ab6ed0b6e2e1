/**
 * How the API answers a failure: every failed request, whatever failed, gets one JSON error body
 * ({@link Problem}), with a status and code from one mapping in {@link ErrorResponder}.
 */
package dev.toolrun.adapter.http.error;
