/**
 * What the API refuses before anything else reads a request, because a lenient reading of it could
 * mean something else to toolrun than to the client or to a proxy in between: text that is not
 * strictly UTF-8, JSON objects with a field twice, two {@code Authorization} headers, bodies that
 * are not {@code application/json} ({@link StrictRequests}, {@link StrictJson}).
 */
package dev.toolrun.adapter.http.protocol;
