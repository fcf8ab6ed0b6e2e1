/**
 * The OpenAPI contract, {@code openapi.yaml}, and what makes the Vert.x validator judge requests by
 * it as a client expects: loading and checking the document ({@link ApiContract}, {@link
 * ContractCheck}, {@link ApiOperation}), and the workarounds for the validator, each saying in its
 * Javadoc why it exists: {@link ReusedValidators} (speed), {@link FaithfulRequestExtractor} (values
 * as sent), {@link SchemaViolations} and {@link ValidatorFailures} (errors a client can act on).
 */
package dev.toolrun.adapter.http.contract;
