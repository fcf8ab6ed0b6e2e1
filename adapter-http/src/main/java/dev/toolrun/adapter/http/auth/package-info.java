/**
 * Who may call the API: the bearer-token check that runs before anything else reads the request.
 */
package dev.toolrun.adapter.http.auth;
