/**
 * The endpoints of the API, one route class per resource, and the router that binds each operation
 * of the contract to exactly one of them. Handlers are thin: they read the request, call a use case
 * through a mapper and reply.
 */
package dev.toolrun.adapter.http.routes;
