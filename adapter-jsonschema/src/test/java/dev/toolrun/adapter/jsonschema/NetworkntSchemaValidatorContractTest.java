package dev.toolrun.adapter.jsonschema;

import dev.toolrun.ports.out.SchemaValidator;
import dev.toolrun.ports.out.SchemaValidatorContractTest;

class NetworkntSchemaValidatorContractTest extends SchemaValidatorContractTest {
  @Override
  protected SchemaValidator newValidator() {
    return NetworkntSchemaValidator.create();
  }
}
