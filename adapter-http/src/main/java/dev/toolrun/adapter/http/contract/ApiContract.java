package dev.toolrun.adapter.http.contract;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
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
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The API's OpenAPI document, {@code openapi.yaml} on the classpath: the bytes that {@code GET
 * /openapi.yaml} serves, the JSON it parses to and the contract the router is built from.
 *
 * <p>It is read from the classpath here rather than by path through Vert.x's file system, which
 * would prefer a file of the same name in the working directory.
 */
public final class ApiContract {
  static final String RESOURCE = "/openapi.yaml";

  private ApiContract() {}

  /** The document as it is stored. */
  public static byte[] document() {
    try (InputStream in = ApiContract.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /**
   * The contract of {@code document}, as Vert.x loads it, with one schema validator per schema (see
   * {@link ReusedValidators}), but not checked against the OpenAPI meta-schema.
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
  public static Future<OpenAPIContract> load(Vertx vertx, byte[] document) {
    JsonObject json = withoutEventStreams(parse(document));
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

  /** The document as JSON, the form the OpenAPI contract loader takes. */
  public static JsonObject parse(byte[] yaml) {
    Object document =
        new Yaml(new SafeConstructor(new LoaderOptions()))
            .load(new String(yaml, StandardCharsets.UTF_8));
    if (!(document instanceof Map<?, ?> map)) {
      throw new IllegalStateException(RESOURCE + " is not a YAML mapping");
    }
    return object(map, "");
  }

  private static JsonObject object(Map<?, ?> map, String path) {
    JsonObject json = new JsonObject();
    map.forEach(
        (key, value) -> {
          if (!(key instanceof String name)) {
            // JSON keys are strings; YAML reads 200: as a number, which the loader would choke on.
            throw new IllegalStateException(
                "%s: key %s at '%s' must be a string; quote it".formatted(RESOURCE, key, path));
          }
          json.put(name, value(value, path + "/" + name));
        });
    return json;
  }

  private static Object value(Object value, String path) {
    if (value instanceof Map<?, ?> map) {
      return object(map, path);
    }
    if (value instanceof List<?> list) {
      JsonArray array = new JsonArray();
      for (int i = 0; i < list.size(); i++) {
        array.add(value(list.get(i), path + "/" + i));
      }
      return array;
    }
    return value;
  }
}
