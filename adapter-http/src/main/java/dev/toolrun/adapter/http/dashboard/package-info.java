/**
 * The web dashboard at {@code /ui/}: static files from the jar, a client of the {@code /v1} API
 * like any other, served without the token (they hold nothing secret) and under a strict content
 * security policy.
 */
package dev.toolrun.adapter.http.dashboard;
