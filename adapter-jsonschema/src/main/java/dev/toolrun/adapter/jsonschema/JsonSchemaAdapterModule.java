package dev.toolrun.adapter.jsonschema;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.toolrun.ports.out.SchemaValidator;

/** Binds the {@link SchemaValidator} to networknt's, for every runtime. */
public final class JsonSchemaAdapterModule extends AbstractModule {

  @Provides
  @Singleton
  static SchemaValidator schemaValidator() {
    return NetworkntSchemaValidator.create();
  }
}
