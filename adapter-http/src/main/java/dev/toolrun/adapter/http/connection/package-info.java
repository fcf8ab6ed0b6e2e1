/**
 * What the server does below the router, on each connection's Netty pipeline: it refuses requests
 * whose framing is ambiguous before any byte of their body is read ({@link StrictRequestDecoder}),
 * and it bounds how long a client may take and how many connections it may hold ({@link
 * ConnectionGuard}), as the {@link dev.toolrun.adapter.http.ConnectionPolicy} says.
 */
package dev.toolrun.adapter.http.connection;
