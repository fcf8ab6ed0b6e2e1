/**
 * The JSON shapes of the REST API, as plain records: what {@code openapi.yaml} describes, and
 * nothing of the domain. Absent values are {@code null} here and left out of the JSON.
 */
package dev.toolrun.adapter.http.dto;
