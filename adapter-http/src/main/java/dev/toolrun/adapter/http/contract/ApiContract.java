package dev.toolrun.adapter.http.contract;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.OpenAPIVersion;
import io.vertx.openapi.contract.impl.OpenAPIContractImpl;
import io.vertx.openapi.impl.OpenAPIFormatValidator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The API's OpenAPI document, {@code openapi.yaml} on the classpath: the bytes that {@code GET
 * /openapi.yaml} serves, the JSON it parses to and the contract the router is built from.
 *
 * <p>A start builds the contract from {@code openapi.json}, the same document as JSON: parsing the
 * YAML took snakeyaml's 150 classes and a fifth of a second of every start (docs/benchmarks.md,
 * figure 6), and JSON is parsed by the Jackson that Vert.x loads anyway. {@code
 * OpenApiJsonSyncTest} fails when the two differ and says how to write the JSON again; {@code
 * openapi.yaml} is the one edited.
 *
 * <p>It is read from the classpath here rather than by path through Vert.x's file system, which
 * would prefer a file of the same name in the working directory.
 */
public final class ApiContract {
  static final String RESOURCE = "/openapi.yaml";

  /** {@link #RESOURCE} as JSON, generated from it (see the class comment). */
  static final String JSON_RESOURCE = "/openapi.json";

  private ApiContract() {}

  /** The document as it is stored. */
  public static byte[] document() {
    return resource(RESOURCE);
  }

  /** The document as JSON, read from {@link #JSON_RESOURCE}: what {@link #parse} makes of it. */
  public static JsonObject json() {
    return new JsonObject(Buffer.buffer(resource(JSON_RESOURCE)));
  }

  private static byte[] resource(String name) {
    try (InputStream in = ApiContract.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name, e);
    }
  }

  /** The contract of {@code document}, the YAML form: {@link #load(Vertx, JsonObject)}. */
  public static Future<OpenAPIContract> load(Vertx vertx, byte[] document) {
    return load(vertx, parse(document));
  }

  /**
   * The contract of {@code document} (as JSON, left unchanged), as Vert.x loads it, with one schema
   * validator per schema (see {@link ReusedValidators}), but not checked against the OpenAPI
   * meta-schema.
   *
   * <p>{@link OpenAPIContract#from(Vertx, JsonObject)} validates the whole document against the
   * meta-schema before resolving it, a fifth of a second of every start (docs/benchmarks.md, figure
   * 6) spent on a resource that is part of this jar: {@code ApiContractTest} checks it in the build
   * instead. These are the other steps of that method (Vert.x OpenAPI 5.0.x), with its base URI; a
   * document that cannot be resolved still fails here.
   *
   * <p>The schema repository is made as {@link OpenAPIVersion#getRepository} makes it for a 3.0
   * document (draft 4, the OpenAPI formats, basic output) but without the draft's meta-schema,
   * which it reads through Vert.x's file system and parses (Jackson 2's parser, first used here)
   * only for the meta-schema check above: no schema of the document refers to it, and resolving
   * leaves no reference outside the document ({@code ApiContractTest} compares every schema's
   * judgement with Vert.x's own contract). That read, through Vert.x's file resolver, and the parse
   * were the largest part of the repository's 0.27 s of a start (figure 6).
   */
  public static Future<OpenAPIContract> load(Vertx vertx, JsonObject document) {
    JsonObject json = withoutEventStreams(document.copy());
    OpenAPIVersion version = OpenAPIVersion.fromContract(json);
    if (version != OpenAPIVersion.V3_0) {
      // A 3.1 document's schemas use the OpenAPI dialect, whose meta-schemas the repository needs.
      return Future.failedFuture(
          new IllegalStateException(RESOURCE + " must be an OpenAPI 3.0 document, was " + version));
    }
    SchemaRepository repository =
        SchemaRepository.create(
            new JsonSchemaOptions()
                .setDraft(Draft.DRAFT4)
                .setBaseUri(BASE_URI)
                .setOutputFormat(OutputFormat.Basic),
            new OpenAPIFormatValidator());
    return version
        .resolve(vertx, repository, json)
        .map(
            resolved ->
                ReusedValidators.of(new OpenAPIContractImpl(resolved, version, repository)));
  }

  /** Where {@link OpenAPIContract#from(Vertx, JsonObject)} places a document it is given. */
  private static final String BASE_URI = "app://";

  /** The media type of the event streams the document describes. */
  public static final String EVENT_STREAM = "text/event-stream";

  /**
   * {@code document} without its {@code text/event-stream} responses, which Vert.x's contract
   * loader refuses as an unsupported media type. It validates requests, not responses, so leaving
   * them out changes nothing it checks; the routes serve the streams, and the document served keeps
   * them.
   */
  static JsonObject withoutEventStreams(JsonObject document) {
    JsonObject paths = document.getJsonObject("paths", new JsonObject());
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        if (item.getValue(method) instanceof JsonObject operation
            && operation.getValue("responses") instanceof JsonObject responses) {
          for (String status : responses.fieldNames()) {
            if (responses.getValue(status) instanceof JsonObject response
                && response.getValue("content") instanceof JsonObject content) {
              content.remove(EVENT_STREAM);
            }
          }
        }
      }
    }
    return document;
  }

  /**
   * The document as JSON, the form the OpenAPI contract loader takes. In a class of its own, so
   * that a start, which reads {@link #json()}, loads no class of snakeyaml's (the verifier of this
   * class would load some).
   */
  public static JsonObject parse(byte[] yaml) {
    return OpenApiYaml.parse(yaml);
  }
}
