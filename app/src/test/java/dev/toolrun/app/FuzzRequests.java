package dev.toolrun.app;

import static dev.toolrun.app.FuzzJson.optional;
import static dev.toolrun.app.FuzzJson.required;
import static dev.toolrun.app.FuzzJson.w;

import dev.toolrun.app.FuzzRequest.Auth;
import dev.toolrun.app.FuzzRequest.Header;
import dev.toolrun.app.FuzzRequest.Transport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators of requests for every operation of {@code openapi.yaml} and for what is not in it
 * (unknown routes, wrong methods, requests the HTTP codec cannot parse), mostly broken in one or
 * more ways, with a share of valid ones that move instances through their lifecycle.
 */
final class FuzzRequests {
  /** Task tools the run registers first and keeps registering, launching and deleting. */
  static final List<String> TASK_TOOLS =
      List.of("fuzz-task-0", "fuzz-task-1", "fuzz-task-2", "fuzz-task-3");

  /** Service tools, likewise. */
  static final List<String> SERVICE_TOOLS = List.of("fuzz-service-0", "fuzz-service-1");

  private static final List<String> STATES =
      List.of(
          "PENDING", "CREATING", "STARTING", "RUNNING", "SERVING", "STOPPING", "SUCCEEDED",
          "FAILED", "TIMED_OUT", "CANCELLED", "STOPPED");
  private static final String JSON = "application/json";
  private static final int HUGE = 100_000;

  private final String token;

  /** Generators whose valid requests carry {@code token}. */
  FuzzRequests(String token) {
    this.token = token;
  }

  /** Any request, from the whole mix. */
  Arbitrary<FuzzRequest> any() {
    return Arbitraries.frequencyOf(
        List.of(
            w(14, valid()),
            w(20, registerTool()),
            w(15, launch()),
            w(15, reads()),
            w(5, instanceActions()),
            w(6, serviceRequests()),
            w(7, badAuth()),
            w(5, wrongRoutes()),
            w(5, bodyAttacks()),
            w(4, raw()),
            w(4, operations())));
  }

  // ---------------------------------------------------------------------------------------------
  // Valid requests: the state machine.

  /** Requests that follow the contract, on the pool's tools and the instances launched so far. */
  Arbitrary<FuzzRequest> valid() {
    Arbitrary<String> taskTool = Arbitraries.of(TASK_TOOLS);
    Arbitrary<String> serviceTool = Arbitraries.of(SERVICE_TOOLS);
    Arbitrary<String> anyTool = Arbitraries.of(concat(TASK_TOOLS, SERVICE_TOOLS));
    return Arbitraries.frequencyOf(
        List.of(
            w(
                3,
                Combinators.combine(taskTool, validTaskSpec(), FuzzJson.text())
                    .as(FuzzRequests::registration)
                    .flatMap(r -> validJson("valid", "PUT", "/v1/tools/" + r[0], r[1]))),
            w(
                1,
                Combinators.combine(serviceTool, validServiceSpec(), FuzzJson.text())
                    .as(FuzzRequests::registration)
                    .flatMap(r -> validJson("valid", "PUT", "/v1/tools/" + r[0], r[1]))),
            w(
                6,
                Combinators.combine(
                        Arbitraries.frequencyOf(List.of(w(5, taskTool), w(1, serviceTool))),
                        validParameters())
                    .as(
                        (tool, parameters) ->
                            "{\"tool\":"
                                + FuzzJson.quote(tool, false)
                                + ",\"parameters\":"
                                + parameters
                                + "}")
                    .flatMap(body -> validJson("valid", "POST", "/v1/instances", body))),
            w(4, validNoBody("GET", Arbitraries.just("/v1/instances/" + FuzzRequest.KNOWN_ID))),
            w(2, validNoBody("POST", Arbitraries.just("/v1/instances/" + FuzzRequest.KNOWN_ID + "/cancel"))),
            w(1, validNoBody("POST", Arbitraries.just("/v1/instances/" + FuzzRequest.KNOWN_ID + "/stop"))),
            w(
                2,
                Combinators.combine(
                        Arbitraries.of(0, 1, 2, 5),
                        Arbitraries.of(1, 2, 1000, 10_000),
                        Arbitraries.of("text/plain", JSON, "*/*", "text/*"))
                    .as(
                        (from, limit, accept) ->
                            new String[] {
                              "/v1/instances/"
                                  + FuzzRequest.KNOWN_ID
                                  + "/logs?from="
                                  + from
                                  + "&limit="
                                  + limit,
                              accept
                            })
                    .flatMap(
                        t ->
                            envelope(Auth.VALID, false)
                                .map(
                                    e ->
                                        e.request(
                                            "valid",
                                            "GET",
                                            t[0],
                                            null,
                                            List.of(new Header("Accept", t[1])))))),
            w(
                2,
                validNoBody(
                    "GET",
                    Combinators.combine(
                            Arbitraries.of(concat(List.of(""), concat(TASK_TOOLS, SERVICE_TOOLS))),
                            Arbitraries.of("", "SUCCEEDED", "RUNNING,SERVING", "CANCELLED"),
                            Arbitraries.of(1, 2, 50, 500),
                            Arbitraries.of(false, false, true))
                        .as(
                            (tool, state, limit, cursor) ->
                                "/v1/instances?limit="
                                    + limit
                                    + (tool.isEmpty() ? "" : "&tool=" + tool)
                                    + (state.isEmpty() ? "" : "&state=" + state)
                                    + (cursor ? "&cursor=" + FuzzRequest.KNOWN_CURSOR : "")))),
            w(
                2,
                validNoBody(
                    "GET",
                    anyTool.flatMap(
                        tool ->
                            Arbitraries.of(
                                "/v1/tools",
                                "/v1/tools?limit=2",
                                "/v1/tools?limit=1&cursor=" + cursor(tool),
                                "/v1/tools/" + tool,
                                "/v1/tools/" + tool + "/versions",
                                "/v1/tools/" + tool + "/versions/1",
                                "/v1/runtime/capabilities")))),
            w(
                1,
                validEnvelope()
                    .flatMap(
                        body ->
                            validJson(
                                "valid",
                                "POST",
                                "/v1/instances/" + FuzzRequest.KNOWN_ID + "/requests",
                                body))),
            w(1, validNoBody("DELETE", anyTool.map(tool -> "/v1/tools/" + tool)))));
  }

  private static String[] registration(String tool, String spec, String description) {
    return new String[] {
      tool, "{\"description\":" + FuzzJson.quote(description, false) + ",\"spec\":" + spec + "}"
    };
  }

  private Arbitrary<FuzzRequest> validJson(String kind, String method, String target, String body) {
    return envelope(Auth.VALID, true)
        .map(
            e ->
                e.request(
                    kind,
                    method,
                    target,
                    body.getBytes(StandardCharsets.UTF_8),
                    List.of(new Header("Content-Type", JSON))));
  }

  private Arbitrary<FuzzRequest> validNoBody(String method, Arbitrary<String> target) {
    return Combinators.combine(target, envelope(Auth.VALID, false))
        .as((t, e) -> e.request("valid", method, t, null, List.of()));
  }

  static Arbitrary<String> validTaskSpec() {
    Arbitrary<String> text = FuzzJson.text().map(t -> FuzzJson.quote(t, false));
    Arbitrary<String> workload =
        Arbitraries.oneOf(
            List.of(
                text.map(
                    arg ->
                        "\"image\":{\"name\":\"busybox:1\",\"command\":[\"sh\",\"-c\"],\"args\":["
                            + arg
                            + "]}"),
                text.map(
                    source -> "\"script\":{\"language\":\"python\",\"source\":" + source + "}"),
                Arbitraries.just(
                    "\"script\":{\"language\":\"shell\",\"source\":\"echo hello\",\"args\":[\"a\"]}")));
    Arbitrary<String> extras =
        Arbitraries.of(
            "",
            ",\"timeoutSeconds\":60",
            ",\"env\":{\"GREETING\":\"héllo 😀\"},\"secretInputs\":[\"API_KEY\"]",
            ",\"resources\":{\"cpu\":{\"request\":\"100m\",\"limit\":\"1\"},"
                + "\"memory\":{\"request\":\"64Mi\",\"limit\":\"1Gi\"}}",
            ",\"tolerations\":[{\"key\":\"gpu\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]",
            ",\"cleanupPolicy\":\"NEVER\",\"retryLimit\":2,\"parallelism\":1,\"completions\":1");
    return Combinators.combine(workload, extras)
        .as((wl, extra) -> "{\"mode\":\"TASK\"," + wl + extra + "}");
  }

  static Arbitrary<String> validServiceSpec() {
    return Arbitraries.of(
        "{\"mode\":\"SERVICE\",\"image\":{\"name\":\"nginx:1\"},\"service\":{\"port\":8080}}",
        "{\"mode\":\"SERVICE\",\"image\":{\"name\":\"nginx:1\"},\"service\":{\"port\":80,"
            + "\"healthPath\":\"/\",\"maxConcurrentRequests\":4,\"onUnhealthy\":\"RESTART\"}}");
  }

  private static Arbitrary<String> validParameters() {
    return Arbitraries.frequencyOf(
        List.of(
            w(
                4,
                FuzzJson.map(
                    Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8),
                    Arbitraries.frequencyOf(
                        List.of(
                            w(3, FuzzJson.string(FuzzJson.text())),
                            w(2, FuzzJson.number()),
                            w(1, FuzzJson.anyValue().filter(v -> !v.contains("null"))))),
                    4)),
            w(1, Arbitraries.just("{\"name\":\"Ada\"}"))));
  }

  private static Arbitrary<String> validEnvelope() {
    return Arbitraries.of(
        "{}",
        "{\"method\":\"GET\",\"path\":\"/\"}",
        "{\"method\":\"POST\",\"path\":\"/echo?x=1\",\"headers\":{\"content-type\":\"text/plain\"},"
            + "\"body\":\"héllo\"}",
        "{\"method\":\"PUT\",\"path\":\"/x\",\"bodyBase64\":\"AAEC/w==\"}");
  }

  // ---------------------------------------------------------------------------------------------
  // Tool registration with broken specs.

  Arbitrary<FuzzRequest> registerTool() {
    Arbitrary<String> body =
        FuzzJson.object(
            List.of(optional("description", FuzzJson.string(FuzzJson.longText())), required("spec", spec())));
    return jsonRequest("tool-spec", Arbitraries.just("PUT"), toolNameSegment().map(n -> "/v1/tools/" + n), body);
  }

  static Arbitrary<String> spec() {
    List<FuzzJson.Field> common =
        List.of(
            required("mode", FuzzJson.stringOf("TASK", "SERVICE", "task", "BATCH", "")),
            optional("resources", resources()),
            optional("env", FuzzJson.map(envName(), FuzzJson.string(FuzzJson.text()), 4)),
            optional("secretInputs", FuzzJson.list(FuzzJson.string(envName()), 3)),
            optional("nodeSelector", FuzzJson.map(labelKey(), FuzzJson.string(labelValue()), 3)),
            optional("tolerations", FuzzJson.list(toleration(), 3)),
            optional("affinity", affinity()),
            optional("security", security()),
            optional("serviceAccount", FuzzJson.string(dnsName())),
            optional("imagePullSecret", FuzzJson.string(dnsName())),
            optional("volumes", FuzzJson.list(volume(), 3)),
            optional("parallelism", FuzzJson.integer(1, 5)),
            optional("completions", FuzzJson.integer(1, 5)),
            optional("timeoutSeconds", FuzzJson.integer(1, 3600)),
            optional("retryLimit", FuzzJson.integer(0, 6)),
            optional("cleanupPolicy", FuzzJson.stringOf("ALWAYS", "ON_SUCCESS", "ON_FAILURE", "NEVER")),
            optional("istioSidecar", FuzzJson.bool()),
            optional("service", service()));
    List<FuzzJson.Field> withImage = new ArrayList<>(common);
    withImage.add(required("image", image()));
    List<FuzzJson.Field> withScript = new ArrayList<>(common);
    withScript.add(required("script", script()));
    List<FuzzJson.Field> withBoth = new ArrayList<>(withImage);
    withBoth.add(optional("script", script()));
    return Arbitraries.frequencyOf(
        List.of(
            w(5, FuzzJson.object(withImage)),
            w(3, FuzzJson.object(withScript)),
            w(1, FuzzJson.object(withBoth)),
            w(1, FuzzJson.deep())));
  }

  private static Arbitrary<String> image() {
    return FuzzJson.object(
        List.of(
            required(
                "name",
                FuzzJson.stringOf(
                    "busybox:1",
                    "python:3.11",
                    "registry.example.com:5000/team/tool@sha256:" + "a".repeat(64),
                    "UPPER/Case",
                    "a b",
                    "image:tag:tag",
                    "x".repeat(300),
                    "")),
            optional("command", FuzzJson.list(FuzzJson.string(FuzzJson.text()), 3)),
            optional("args", FuzzJson.list(FuzzJson.string(FuzzJson.longText()), 3))));
  }

  private static Arbitrary<String> script() {
    return FuzzJson.object(
        List.of(
            required("language", FuzzJson.stringOf("python", "shell", "PYTHON", "ruby", "")),
            required("source", FuzzJson.string(FuzzJson.longText())),
            optional("args", FuzzJson.list(FuzzJson.string(FuzzJson.text()), 3))));
  }

  private static Arbitrary<String> resources() {
    Arbitrary<String> range =
        FuzzJson.object(
            List.of(
                optional("request", FuzzJson.string(quantity())),
                optional("limit", FuzzJson.string(quantity()))));
    return FuzzJson.object(
        List.of(
            optional("cpu", range),
            optional("memory", range),
            optional(
                "gpu",
                FuzzJson.object(
                    List.of(
                        required("count", FuzzJson.integer(0, 4)),
                        optional(
                            "resourceName",
                            FuzzJson.stringOf("nvidia.com/gpu", "amd.com/gpu", "gpu", "")))))));
  }

  /** Kubernetes quantities, valid and not. */
  static Arbitrary<String> quantity() {
    return Arbitraries.frequencyOf(
        List.of(
            w(3, Arbitraries.of("500m", "2", "1.5", "512Mi", "1Gi", "1e3", "0", "100n", "1E3", "+1")),
            w(
                4,
                Arbitraries.of(
                    "2 cores",
                    "1e400",
                    "-1",
                    "0.0000000001",
                    "",
                    " ",
                    "1.5.5",
                    "Gi",
                    "1GiB",
                    "١٢",
                    "1e19",
                    "99999999999999999999",
                    "9223372036854775808",
                    "1" + "0".repeat(70),
                    "1Ki ",
                    "0x10",
                    "NaN",
                    "Infinity",
                    "1e-10",
                    "-0",
                    "1 Gi")),
            w(1, FuzzJson.text())));
  }

  private static Arbitrary<String> toleration() {
    return FuzzJson.object(
        List.of(
            optional("key", FuzzJson.string(labelKey())),
            required("operator", FuzzJson.stringOf("Equal", "Exists", "equal", "In")),
            optional("value", FuzzJson.string(labelValue())),
            optional("effect", FuzzJson.stringOf("NoSchedule", "PreferNoSchedule", "NoExecute", "Never")),
            optional("tolerationSeconds", FuzzJson.integer(0, 3600))));
  }

  private static Arbitrary<String> affinity() {
    Arbitrary<String> requirement =
        FuzzJson.object(
            List.of(
                required("key", FuzzJson.string(labelKey())),
                required(
                    "operator",
                    FuzzJson.stringOf("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt", "in")),
                optional("values", FuzzJson.list(FuzzJson.string(labelValue()), 3))));
    Arbitrary<String> term =
        FuzzJson.object(List.of(required("requirements", FuzzJson.list(requirement, 3))));
    Arbitrary<String> rule =
        FuzzJson.object(
            List.of(
                required("matchLabels", FuzzJson.map(labelKey(), FuzzJson.string(labelValue()), 3)),
                required("topologyKey", FuzzJson.string(labelKey())),
                optional("preferenceWeight", FuzzJson.integer(1, 100))));
    return FuzzJson.object(
        List.of(
            optional("requiredNodeTerms", FuzzJson.list(term, 2)),
            optional("podAffinity", FuzzJson.list(rule, 2)),
            optional("podAntiAffinity", FuzzJson.list(rule, 2))));
  }

  private static Arbitrary<String> security() {
    Arbitrary<String> capability =
        FuzzJson.string(Arbitraries.of("NET_ADMIN", "ALL", "net_admin", "", "SYS_ADMIN", "CHOWN"));
    return FuzzJson.object(
        List.of(
            optional("runAsNonRoot", FuzzJson.bool()),
            optional("runAsUser", FuzzJson.integer(0, 65_535)),
            optional("readOnlyRootFilesystem", FuzzJson.bool()),
            optional("allowPrivilegeEscalation", FuzzJson.bool()),
            optional("dropCapabilities", FuzzJson.list(capability, 3)),
            optional("addCapabilities", FuzzJson.list(capability, 3))));
  }

  private static Arbitrary<String> volume() {
    return FuzzJson.object(
        List.of(
            required("claimName", FuzzJson.string(dnsName())),
            required(
                "mountPath",
                FuzzJson.stringOf("/data", "relative", "", "/a/../b", "/dev/null", "/toolrun/input")),
            optional("readOnly", FuzzJson.bool())));
  }

  private static Arbitrary<String> service() {
    return FuzzJson.object(
        List.of(
            required("port", FuzzJson.integer(1, 65_535)),
            optional("protocol", FuzzJson.stringOf("http", "grpc", "HTTP", "tcp")),
            optional("healthPath", FuzzJson.stringOf("/health", "health", "", "/a b", "/\r\n")),
            optional("healthIntervalMs", FuzzJson.integer(1, 60_000)),
            optional("failureThreshold", FuzzJson.integer(1, 10)),
            optional("maxConcurrentRequests", FuzzJson.integer(1, 100)),
            optional("requestTimeoutMs", FuzzJson.integer(1, 60_000)),
            optional("startTimeoutSeconds", FuzzJson.integer(1, 600)),
            optional("onUnhealthy", FuzzJson.stringOf("RESTART", "FAIL", "restart")),
            optional("maxRestarts", FuzzJson.integer(0, 10)),
            optional("networkIsolation", FuzzJson.bool())));
  }

  private static Arbitrary<String> envName() {
    return Arbitraries.frequencyOf(
        List.of(
            w(3, Arbitraries.of("FOO", "API_KEY", "_x", "A1", "TOOLRUN_INSTANCE_ID", "PATH")),
            w(2, Arbitraries.of("1ABC", "a-b", "", "with space", "ÄPFEL", "=", "A=B")),
            w(1, FuzzJson.text())));
  }

  private static Arbitrary<String> labelKey() {
    return Arbitraries.frequencyOf(
        List.of(
            w(3, Arbitraries.of("disktype", "kubernetes.io/hostname", "example.com/zone", "gpu")),
            w(2, Arbitraries.of("bad key", "/", "a/b/c", "", "-x", "x".repeat(64), "Ünïcode")),
            w(1, FuzzJson.text())));
  }

  private static Arbitrary<String> labelValue() {
    return Arbitraries.frequencyOf(
        List.of(
            w(3, Arbitraries.of("ssd", "true", "zone-a", "")),
            w(1, Arbitraries.of("-x", "x".repeat(64), "a b", "ü")),
            w(1, FuzzJson.text())));
  }

  private static Arbitrary<String> dnsName() {
    return Arbitraries.frequencyOf(
        List.of(
            w(3, Arbitraries.of("default", "my-sa", "data-claim")),
            w(2, Arbitraries.of("-bad", "UPPER", "a".repeat(300), "", "a.b", "a_b")),
            w(1, FuzzJson.text())));
  }

  // ---------------------------------------------------------------------------------------------
  // Launches with broken bodies and idempotency keys.

  Arbitrary<FuzzRequest> launch() {
    Arbitrary<String> body =
        FuzzJson.object(
            List.of(
                required("tool", FuzzJson.string(toolName())),
                optional("version", FuzzJson.integer(1, 4)),
                optional("parameters", parameters()),
                optional("secrets", FuzzJson.map(envName(), FuzzJson.string(FuzzJson.text()), 3))));
    return Combinators.combine(
            FuzzJson.bytes(body), contentType(true), idempotencyKey(), envelope(Auth.VALID, true))
        .as(
            (bytes, type, key, e) -> {
              List<Header> headers = new ArrayList<>();
              type.ifPresent(t -> headers.add(new Header("Content-Type", t)));
              key.ifPresent(k -> headers.add(new Header("Idempotency-Key", k)));
              return e.request("launch", "POST", "/v1/instances", bytes, headers);
            });
  }

  private static Arbitrary<String> parameters() {
    return Arbitraries.frequencyOf(
        List.of(
            w(6, FuzzJson.map(FuzzJson.text(), FuzzJson.anyValue(), 5)),
            w(1, FuzzJson.deep().map(d -> "{\"deep\":" + d + "}")),
            w(1, Arbitraries.of("{\"a\":null}", "{}", "{\"a\":1,\"a\":2}", "{\"\":\"\"}")),
            w(1, FuzzJson.longText().map(t -> "{\"text\":" + FuzzJson.quote(t, true) + "}"))));
  }

  private static Arbitrary<Optional<String>> idempotencyKey() {
    return Arbitraries.frequencyOf(
        List.of(
            w(12, Arbitraries.just(Optional.<String>empty())),
            w(
                4,
                Arbitraries.of("fuzz-key-0", "fuzz-key-1", "fuzz-key-2", "fuzz-key-3")
                    .map(Optional::of)),
            w(
                2,
                Arbitraries.strings()
                    .withCharRange('!', '~')
                    .ofMinLength(1)
                    .ofMaxLength(255)
                    .map(Optional::of)),
            w(
                2,
                Arbitraries.of(
                        "",
                        " ",
                        "k".repeat(256),
                        "k".repeat(4000),
                        "with space",
                        "tab\there",
                        utf8AsLatin1("schlüssel-😀"),
                        "\u00ff\u00fe")
                    .map(Optional::of))));
  }

  // ---------------------------------------------------------------------------------------------
  // Reads: every GET with broken path and query parameters, and deletes.

  Arbitrary<FuzzRequest> reads() {
    Arbitrary<String> target =
        Arbitraries.frequencyOf(
            List.of(
                w(3, query("/v1/tools", List.of(param("limit", limit()), param("cursor", cursorValue())))),
                w(2, toolNameSegment().map(n -> "/v1/tools/" + n)),
                w(2, toolNameSegment().map(n -> "/v1/tools/" + n + "/versions")),
                w(
                    2,
                    Combinators.combine(toolNameSegment(), versionSegment())
                        .as((n, v) -> "/v1/tools/" + n + "/versions/" + v)),
                w(
                    4,
                    query(
                        "/v1/instances",
                        List.of(
                            param("tool", toolName()),
                            param("state", stateValue()),
                            param("state", stateValue()),
                            param("limit", limit()),
                            param("cursor", cursorValue())))),
                w(3, instanceIdSegment().map(id -> "/v1/instances/" + id)),
                w(
                    4,
                    instanceIdSegment()
                        .flatMap(
                            id ->
                                query(
                                    "/v1/instances/" + id + "/logs",
                                    List.of(param("from", from()), param("limit", logLimit())))))));
    Arbitrary<String> method =
        Arbitraries.frequencyOf(List.of(w(12, Arbitraries.just("GET")), w(1, Arbitraries.just("DELETE"))));
    return Combinators.combine(method, target, accept(), envelope(Auth.VALID, false))
        .as(
            (m, t, a, e) -> {
              // DELETE exists on /v1/tools/{name} only; elsewhere it is a wrong method.
              List<Header> headers = new ArrayList<>();
              a.ifPresent(v -> headers.add(new Header("Accept", v)));
              return e.request("read", m, t, null, headers);
            });
  }

  /** A path segment naming a tool: the pool's, valid ones, invalid ones, encoded. */
  static Arbitrary<String> toolNameSegment() {
    return Arbitraries.frequencyOf(
            List.of(
                w(10, toolName()),
                w(1, Arbitraries.of(".", "..", "a/b", "a%b", "a?b", "a#b", "a;b"))))
        .map(FuzzRequests::encodeSegment);
  }

  /** Tool names: the pool's, valid random ones, invalid ones, and now and then a huge one. */
  static Arbitrary<String> toolName() {
    return Arbitraries.frequencyOf(
        List.of(
            w(12, Arbitraries.of(concat(TASK_TOOLS, SERVICE_TOOLS))),
            w(
                4,
                Arbitraries.strings()
                    .withChars("abcdefghijklmnopqrstuvwxyz0123456789-")
                    .ofMinLength(1)
                    .ofMaxLength(63)
                    .map(s -> "f" + s.substring(1) + "0")
                    .map(s -> s.length() > 63 ? s.substring(0, 63) : s)),
            w(
                5,
                Arbitraries.of(
                    "Fuzz",
                    "FUZZ-TASK-0",
                    "-lead",
                    "trail-",
                    "a.b",
                    "a_b",
                    "a b",
                    "a..b",
                    "tool\u0000",
                    "ä",
                    "😀",
                    "\u202Etool",
                    "e\u0301",
                    "zero\u200Bwidth",
                    "ｔｏｏｌ",
                    "1",
                    "0-0",
                    "--",
                    "a".repeat(63),
                    "a".repeat(64),
                    "a".repeat(253),
                    "",
                    "null")),
            w(2, FuzzJson.text()),
            w(1, Arbitraries.just("a".repeat(HUGE)))));
  }

  private static Arbitrary<String> instanceIdSegment() {
    String uuid = "3f2c1a9e-8b7d-4c6e-9f10-2a3b4c5d6e7f";
    return Arbitraries.frequencyOf(
        List.of(
            w(12, Arbitraries.just(FuzzRequest.KNOWN_ID)),
            w(
                4,
                Combinators.combine(Arbitraries.longs(), Arbitraries.longs())
                    .as((a, b) -> new UUID(a, b).toString())),
            w(
                4,
                Arbitraries.of(
                        uuid.toUpperCase(),
                        uuid.replace("-", ""),
                        "00000000-0000-0000-0000-000000000000",
                        "ffffffff-ffff-ffff-ffff-ffffffffffff",
                        "not-a-uuid",
                        "1",
                        "-1",
                        uuid + " ",
                        "{" + uuid + "}",
                        uuid + "x",
                        uuid.substring(1),
                        "３f2c1a9e-8b7d-4c6e-9f10-2a3b4c5d6e7f",
                        "..",
                        "%",
                        "😀")
                    .map(FuzzRequests::encodeSegment)),
            w(2, FuzzJson.text().filter(t -> !t.isEmpty()).map(FuzzRequests::encodeSegment)),
            w(1, Arbitraries.just("0".repeat(HUGE)))));
  }

  private static Arbitrary<String> versionSegment() {
    return Arbitraries.of(
            "1", "2", "3", "0", "-1", "2147483647", "2147483648", "99999999999999999999999", "abc",
            "1.0", "1e2", "+1", "0x10", "01", " 1", "١", "1%00", "")
        .map(FuzzRequests::encodeSegment);
  }

  private static Arbitrary<String> limit() {
    return Arbitraries.of(
        "1", "2", "50", "500", "0", "-1", "501", "2147483647", "2147483648", "-2147483649",
        "99999999999999999999", "abc", "", "1.5", "1e2", " 5", "0x10", "٣", "true", "null", "[1]");
  }

  private static Arbitrary<String> logLimit() {
    return Arbitraries.of(
        "1", "1000", "10000", "10001", "0", "-5", "abc", "2147483648", "", "1.0", "1e3");
  }

  private static Arbitrary<String> from() {
    return Arbitraries.of(
        "0",
        "1",
        "100",
        "-1",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775808",
        "abc",
        "1.5",
        "",
        "1e3",
        "00000000000000000000000000001");
  }

  private static Arbitrary<String> stateValue() {
    return Arbitraries.frequencyOf(
        List.of(
            w(4, Arbitraries.of(STATES)),
            w(
                3,
                Arbitraries.of(
                    "pending",
                    "RUNNING,SUCCEEDED",
                    "UNKNOWN",
                    "",
                    ",",
                    "RUNNING,,",
                    "SUCCEEDED, FAILED",
                    "ŞUCCEEDED",
                    "RUNNING;FAILED",
                    String.join(",", STATES))),
            w(1, FuzzJson.text())));
  }

  private static Arbitrary<String> cursorValue() {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return Arbitraries.frequencyOf(
        List.of(
            w(3, Arbitraries.of(concat(TASK_TOOLS, SERVICE_TOOLS)).map(FuzzRequests::cursor)),
            w(3, Arbitraries.just(FuzzRequest.KNOWN_CURSOR)),
            w(
                4,
                Arbitraries.of(
                    b64.encodeToString("UPPER".getBytes(StandardCharsets.UTF_8)),
                    b64.encodeToString(new byte[] {(byte) 0xC3, 0x28}),
                    b64.encodeToString(new byte[0]),
                    b64.encodeToString("3f2c1a9e-8b7d-4c6e-9f10-2a3b4c5d6e7f".getBytes(StandardCharsets.UTF_8)),
                    b64.encodeToString("2024-01-01T00:00:00Z|x".getBytes(StandardCharsets.UTF_8)),
                    Base64.getEncoder().encodeToString("fuzz-task-0".getBytes(StandardCharsets.UTF_8)),
                    "!!!",
                    "====",
                    "",
                    "a",
                    "😀",
                    "Zm9v\u0000",
                    "Z".repeat(10_000))),
            w(1, FuzzJson.text())));
  }

  static String cursor(String key) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(key.getBytes(StandardCharsets.UTF_8));
  }

  private static Arbitrary<Optional<String>> accept() {
    return Arbitraries.frequencyOf(
        List.of(
            w(6, Arbitraries.just(Optional.<String>empty())),
            w(
                3,
                Arbitraries.of(
                        "text/plain",
                        JSON,
                        "*/*",
                        "text/*",
                        "text/plain;q=0.1, application/json",
                        "application/json;q=0, text/plain",
                        "image/png",
                        ";;;",
                        "text/plain; q=abc",
                        "*/*;q=1.5",
                        "",
                        "text/plain; charset=utf-8",
                        utf8AsLatin1("täxt/plain"),
                        "application/yaml")
                    .map(Optional::of))));
  }

  /** A parameter whose values are encoded for a query string, sometimes left out. */
  private record Param(String name, Arbitrary<String> value) {}

  private static Param param(String name, Arbitrary<String> value) {
    return new Param(name, value);
  }

  /**
   * {@code path} with some of {@code params}, encoded, now and then repeated, without a value, or
   * with an unknown parameter added.
   */
  private static Arbitrary<String> query(String path, List<Param> params) {
    List<Arbitrary<Optional<String>>> parts = new ArrayList<>();
    for (Param p : params) {
      Arbitrary<String> encoded =
          p.value()
              .map(v -> v.equals(FuzzRequest.KNOWN_CURSOR) ? v : encodeQuery(v))
              .map(v -> p.name() + "=" + v);
      parts.add(
          Arbitraries.frequencyOf(
              List.of(
                  w(4, encoded.map(Optional::of)),
                  w(1, Arbitraries.just(Optional.of(p.name()))),
                  w(5, Arbitraries.just(Optional.<String>empty())))));
    }
    parts.add(
        Arbitraries.frequencyOf(
            List.of(
                w(12, Arbitraries.just(Optional.<String>empty())),
                w(
                    1,
                    Arbitraries.of(
                            "unknown=1",
                            "LIMIT=5",
                            "limit[]=1",
                            "=",
                            "&&",
                            "a=%F0%9F%98%80",
                            "%E2%80%AE=1",
                            "x=" + "y".repeat(5000))
                        .map(Optional::of)))));
    return Combinators.combine(parts)
        .as(
            present -> {
              List<String> all = new ArrayList<>();
              present.forEach(part -> part.ifPresent(all::add));
              return all.isEmpty() ? path : path + "?" + String.join("&", all);
            });
  }

  // ---------------------------------------------------------------------------------------------
  // Cancel, stop and service requests.

  Arbitrary<FuzzRequest> instanceActions() {
    Arbitrary<String> target =
        Combinators.combine(instanceIdSegment(), Arbitraries.of("/cancel", "/stop"))
            .as((id, action) -> "/v1/instances/" + id + action);
    Arbitrary<byte[]> body =
        Arbitraries.frequencyOf(
            List.of(
                w(6, Arbitraries.just((byte[]) null)),
                w(1, FuzzJson.bytes(FuzzJson.anyValue()))));
    return Combinators.combine(target, body, contentType(false), envelope(Auth.VALID, false))
        .as(
            (t, b, type, e) -> {
              List<Header> headers = new ArrayList<>();
              type.ifPresent(v -> headers.add(new Header("Content-Type", v)));
              return e.request("action", "POST", t, b, headers);
            });
  }

  Arbitrary<FuzzRequest> serviceRequests() {
    Arbitrary<String> headerName =
        Arbitraries.frequencyOf(
            List.of(
                w(
                    3,
                    Arbitraries.of(
                        "content-type", "X-Custom", "Host", "Connection", "Transfer-Encoding",
                        "Content-Length", "Authorization", "Proxy-Authorization")),
                w(1, Arbitraries.of("", "bad name", "x:y", "ü", "a\r\nb", "x".repeat(300))),
                w(1, FuzzJson.text())));
    Arbitrary<String> body =
        FuzzJson.object(
            List.of(
                optional(
                    "method",
                    FuzzJson.stringOf(
                        "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "get",
                        "CONNECT", "TRACE", "FOO BAR", "")),
                optional(
                    "path",
                    FuzzJson.stringOf(
                        "/",
                        "/echo?x=1",
                        "no-slash",
                        "/a b",
                        "/\r\nX-Injected: 1",
                        "//",
                        "/" + "a".repeat(9000),
                        "http://127.0.0.1:1/",
                        "/%zz",
                        "/😀")),
                optional("headers", FuzzJson.map(headerName, FuzzJson.string(FuzzJson.text()), 3)),
                optional("body", FuzzJson.string(FuzzJson.longText())),
                optional(
                    "bodyBase64",
                    FuzzJson.stringOf("aGVsbG8=", "!!!", "", "aGVsbG8", "YQ==\n", "====", "AAEC/w=="))));
    return jsonRequest(
        "service-request",
        Arbitraries.just("POST"),
        instanceIdSegment().map(id -> "/v1/instances/" + id + "/requests"),
        body);
  }

  // ---------------------------------------------------------------------------------------------
  // Authentication, routes, methods, body size and nesting, the codec, operations.

  Arbitrary<FuzzRequest> badAuth() {
    Arbitrary<String[]> operation =
        Arbitraries.of(
            new String[] {"GET", "/v1/tools"},
            new String[] {"GET", "/v1/tools/fuzz-task-0"},
            new String[] {"PUT", "/v1/tools/fuzz-task-0"},
            new String[] {"DELETE", "/v1/tools/fuzz-task-0"},
            new String[] {"GET", "/v1/tools/fuzz-task-0/versions/1"},
            new String[] {"POST", "/v1/instances"},
            new String[] {"GET", "/v1/instances?limit=5"},
            new String[] {"GET", "/v1/instances/" + FuzzRequest.KNOWN_ID},
            new String[] {"POST", "/v1/instances/" + FuzzRequest.KNOWN_ID + "/cancel"},
            new String[] {"POST", "/v1/instances/" + FuzzRequest.KNOWN_ID + "/stop"},
            new String[] {"POST", "/v1/instances/" + FuzzRequest.KNOWN_ID + "/requests"},
            new String[] {"GET", "/v1/instances/" + FuzzRequest.KNOWN_ID + "/logs"},
            new String[] {"GET", "/v1/runtime/capabilities"},
            new String[] {"GET", "/v1"},
            new String[] {"GET", "/v1/"},
            new String[] {"GET", "/v1/nothing-here"},
            new String[] {"PATCH", "/v1/tools/x"},
            new String[] {"GET", "/health/../v1/tools"},
            new String[] {"GET", "/v1/./tools"},
            new String[] {"GET", "//v1/tools"});
    Arbitrary<byte[]> body =
        Arbitraries.frequencyOf(
            List.of(
                w(3, Arbitraries.just((byte[]) null)),
                w(
                    1,
                    Arbitraries.just(
                        "{\"spec\":{\"mode\":\"TASK\",\"image\":{\"name\":\"busybox:1\"}}}"
                            .getBytes(StandardCharsets.UTF_8))),
                w(1, Arbitraries.just(new byte[2_000_000]))));
    Arbitrary<Envelope> envelope =
        Arbitraries.frequencyOf(
                List.of(w(9, Arbitraries.just(Auth.INVALID)), w(1, Arbitraries.just(Auth.UNKNOWN))))
            .flatMap(auth -> envelope(auth, false));
    return Combinators.combine(operation, body, envelope)
        .as(
            (op, b, e) ->
                e.request(
                    "auth",
                    op[0],
                    op[1],
                    b,
                    b == null ? List.of() : List.of(new Header("Content-Type", JSON))));
  }

  Arbitrary<FuzzRequest> wrongRoutes() {
    Arbitrary<String> method =
        Arbitraries.of(
            "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "FUZZ", "get",
            "PROPFIND", "M-SEARCH");
    Arbitrary<String> path =
        Arbitraries.of(
            "/",
            "/v1",
            "/v1/",
            "/v2/tools",
            "/V1/TOOLS",
            "/v1/tools/",
            "/v1/tools/x/y/z",
            "/v1/tools/fuzz-task-0/versions/",
            "/v1/instances/",
            "/v1/instances/x/unknown",
            "/v1/instances/" + FuzzRequest.KNOWN_ID + "/logs/x",
            "/v1/runtime",
            "/v1/runtime/capabilities/x",
            "/health",
            "/health/live/x",
            "/health/ready/",
            "/openapi.json",
            "/openapi.yaml/x",
            "//v1//tools",
            "/v1/tools/./fuzz-task-0",
            "/v1/./tools",
            "/v1/tools%2Ffuzz-task-0",
            "/favicon.ico",
            "/.env",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/v1/tools/fuzz-task-0",
            "/v1/instances",
            "/v1/tools",
            "/health/live",
            "/openapi.yaml",
            "/v1/runtime/capabilities",
            "/v1/instances/" + FuzzRequest.KNOWN_ID + "/cancel",
            "/" + "x".repeat(HUGE));
    Arbitrary<byte[]> body =
        Arbitraries.frequencyOf(
            List.of(
                w(4, Arbitraries.just((byte[]) null)),
                w(1, FuzzJson.bytes(FuzzJson.anyValue()))));
    return Combinators.combine(method, path, body, envelope(Auth.VALID, false))
        .as(
            (m, p, b, e) ->
                e.request(
                    "route",
                    m,
                    p,
                    // The JDK client sends no body with HEAD.
                    m.equals("HEAD") ? null : b,
                    b == null ? List.of() : List.of(new Header("Content-Type", JSON))));
  }

  Arbitrary<FuzzRequest> bodyAttacks() {
    Arbitrary<String> target =
        Arbitraries.of(
            "PUT /v1/tools/fuzz-task-0",
            "PUT /v1/tools/fuzz-oversize",
            "POST /v1/instances",
            "POST /v1/instances/" + FuzzRequest.KNOWN_ID + "/requests");
    Arbitrary<byte[]> body =
        Arbitraries.frequencyOf(
            List.of(
                w(3, oversize()),
                w(3, FuzzJson.deep().map(d -> d.getBytes(StandardCharsets.UTF_8))),
                w(
                    2,
                    FuzzJson.deep()
                        .map(
                            d ->
                                ("{\"tool\":\"fuzz-task-0\",\"parameters\":{\"p\":" + d + "}}")
                                    .getBytes(StandardCharsets.UTF_8))),
                w(
                    2,
                    FuzzJson.deep()
                        .map(
                            d ->
                                ("{\"spec\":{\"mode\":\"TASK\",\"image\":{\"name\":\"busybox:1\"},"
                                        + "\"env\":{\"A\":"
                                        + d
                                        + "}}}")
                                    .getBytes(StandardCharsets.UTF_8))),
                w(2, Arbitraries.integers().between(0, 4).map(FuzzRequests::wide))));
    return Combinators.combine(target, body, contentType(true), envelope(Auth.VALID, true))
        .as(
            (t, b, type, e) -> {
              List<Header> headers = new ArrayList<>();
              type.ifPresent(v -> headers.add(new Header("Content-Type", v)));
              String[] methodAndPath = t.split(" ", 2);
              return e.request("body", methodAndPath[0], methodAndPath[1], b, headers);
            });
  }

  /** Bodies around and beyond the 1 MiB limit. */
  private static Arbitrary<byte[]> oversize() {
    return Combinators.combine(
            Arbitraries.of(1_048_000, 1_048_576, 1_048_577, 1_100_000, 2_000_000, 4_000_000),
            Arbitraries.of("description", "whitespace", "parameters"))
        .as(
            (size, how) -> {
              String head =
                  switch (how) {
                    case "description" -> "{\"description\":\"";
                    case "parameters" -> "{\"tool\":\"fuzz-task-0\",\"parameters\":{\"p\":\"";
                    default -> "{\"tool\":\"fuzz-task-0\"}";
                  };
              String tail =
                  switch (how) {
                    case "description" -> "\",\"spec\":{\"mode\":\"TASK\",\"image\":{\"name\":\"a\"}}}";
                    case "parameters" -> "\"}}";
                    default -> "";
                  };
              byte[] bytes = new byte[Math.max(size, head.length() + tail.length())];
              java.util.Arrays.fill(bytes, how.equals("whitespace") ? (byte) ' ' : (byte) 'x');
              byte[] h = head.getBytes(StandardCharsets.US_ASCII);
              byte[] t = tail.getBytes(StandardCharsets.US_ASCII);
              System.arraycopy(h, 0, bytes, 0, h.length);
              System.arraycopy(t, 0, bytes, bytes.length - t.length, t.length);
              return bytes;
            });
  }

  /** Wide rather than deep: many keys, many elements, very long numbers, many violations. */
  private static byte[] wide(int which) {
    StringBuilder out = new StringBuilder();
    switch (which) {
      case 0 -> {
        out.append("{\"tool\":\"fuzz-task-0\",\"parameters\":{");
        for (int i = 0; i < 20_000; i++) {
          out.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
        }
        out.append("}}");
      }
      case 1 -> {
        out.append("{\"tool\":\"fuzz-task-0\",\"parameters\":{\"a\":[");
        for (int i = 0; i < 100_000; i++) {
          out.append(i == 0 ? "" : ",").append('1');
        }
        out.append("]}}");
      }
      case 2 -> out.append("{\"tool\":\"fuzz-task-0\",\"version\":").append("9".repeat(100_000)).append('}');
      case 3 -> {
        out.append("{\"spec\":{\"mode\":\"TASK\",\"image\":{\"name\":\"a\"},\"tolerations\":[");
        for (int i = 0; i < 5_000; i++) {
          out.append(i == 0 ? "" : ",").append("{\"operator\":\"Nope\",\"effect\":1}");
        }
        out.append("]}}");
      }
      default -> {
        out.append("{\"spec\":{\"mode\":\"TASK\",\"image\":{\"name\":\"a\"},\"env\":{");
        for (int i = 0; i < 5_000; i++) {
          out.append(i == 0 ? "" : ",").append("\"").append(i).append("bad\":").append(i);
        }
        out.append("}}}");
      }
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  Arbitrary<FuzzRequest> operations() {
    Arbitrary<String> target =
        Combinators.combine(
                Arbitraries.of("/health/live", "/health/ready", "/openapi.yaml", "/v1/runtime/capabilities"),
                Arbitraries.of("", "", "", "?x=1", "?%F0%9F%98%80=%E2%80%AE", "?" + "q".repeat(3000)))
            .as((path, query) -> path + query);
    Arbitrary<Envelope> envelope =
        Arbitraries.frequencyOf(
                List.of(
                    w(6, Arbitraries.just(Auth.VALID)),
                    w(1, Arbitraries.just(Auth.INVALID))))
            .flatMap(auth -> envelope(auth, false));
    return Combinators.combine(target, accept(), envelope)
        .as(
            (t, a, e) -> {
              List<Header> headers = new ArrayList<>();
              a.ifPresent(v -> headers.add(new Header("Accept", v)));
              return e.request("operations", "GET", t, null, headers);
            });
  }

  /** Requests the JDK client refuses to make: broken request lines, headers and framing. */
  Arbitrary<FuzzRequest> raw() {
    Arbitrary<String> target =
        Arbitraries.of(
            "/v1/tools",
            "/v1/tools?cursor=%zz",
            "/v1/tools/%zz",
            "/v1/tools/%",
            "/v1/tools/%C3%28",
            "/v1/tools/%00",
            "/v1/tools/a%2Fb",
            "/v1/tools?limit=%2",
            "/v1/instances?state=%E0%A4%A",
            "/v1/instances?tool=%FF%FE",
            "/health/live?%%%",
            "/v1/tools/" + utf8AsLatin1("ツール"),
            "/v1/tools/\u00ff",
            "/v1/tools/a\u0001b",
            "/v1/instances/" + FuzzRequest.KNOWN_ID + "/logs?from=%",
            "*",
            "http://127.0.0.1/v1/tools",
            "v1/tools",
            "/v1/tools#fragment",
            "/v1/tools/" + "a".repeat(5000));
    Arbitrary<String> method = Arbitraries.of("GET", "GET", "GET", "PUT", "POST", "get", "G@T", "");
    Arbitrary<String> version =
        Arbitraries.of(
            "HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/9.9",
            "http/1.1", "", "HTTP/1.1 extra");
    Arbitrary<List<Header>> framing =
        Arbitraries.of(
            List.of(),
            List.of(),
            List.of(new Header("Content-Length", "-1")),
            List.of(new Header("Content-Length", "abc")),
            List.of(new Header("Content-Length", "99999999999999999999")),
            List.of(new Header("Content-Length", "2"), new Header("Content-Length", "3")),
            List.of(new Header("Transfer-Encoding", "chunked")),
            List.of(new Header("Transfer-Encoding", "gzip")),
            List.of(new Header("Transfer-Encoding", "chunked"), new Header("Content-Length", "2")),
            List.of(new Header("Expect", "100-continue")),
            List.of(new Header("Expect", "something-else")),
            List.of(new Header("", "Garbage line without a colon")),
            List.of(new Header("", " folded continuation")),
            List.of(new Header("Bad Name", "x")),
            List.of(new Header(utf8AsLatin1("X-Ünïcode"), "y")),
            List.of(new Header("X-Nul", "a\u0000b")),
            List.of(new Header("X-Long", "v".repeat(9000))),
            repeatedHeaders(120),
            List.of(new Header("Upgrade", "websocket"), new Header("Connection", "Upgrade")));
    Arbitrary<String> host =
        Arbitraries.of("127.0.0.1", "127.0.0.1", "127.0.0.1", "", "none", "two", utf8AsLatin1("hößt"));
    Arbitrary<byte[]> body =
        Arbitraries.of(
            (byte[]) null,
            "{}".getBytes(StandardCharsets.UTF_8),
            "zz\r\nbroken chunk\r\n0\r\n\r\n".getBytes(StandardCharsets.UTF_8),
            "2\r\n{}\r\n0\r\n\r\n".getBytes(StandardCharsets.UTF_8),
            "{\"tool\":\"fuzz-task-0\"}".getBytes(StandardCharsets.UTF_8));
    Arbitrary<Auth> auth =
        Arbitraries.frequencyOf(List.of(w(4, Arbitraries.just(Auth.VALID)), w(1, Arbitraries.just(Auth.INVALID))));
    return Combinators.combine(method, target, version, framing, host, body, auth, pick())
        .as(
            (m, t, v, f, h, b, a, pick) -> {
              List<Header> headers = new ArrayList<>();
              switch (h) {
                case "none" -> {}
                case "two" -> {
                  headers.add(new Header("Host", "127.0.0.1"));
                  headers.add(new Header("Host", "example.com"));
                }
                default -> headers.add(new Header("Host", h));
              }
              if (a == Auth.VALID) {
                headers.add(new Header("Authorization", "Bearer " + token));
              }
              headers.add(new Header("Connection", "close"));
              headers.addAll(f);
              boolean declared =
                  f.stream()
                      .anyMatch(
                          x ->
                              x.name().equalsIgnoreCase("Content-Length")
                                  || x.name().equalsIgnoreCase("Transfer-Encoding"));
              if (b != null) {
                headers.add(new Header("Content-Type", JSON));
                if (!declared) {
                  headers.add(new Header("Content-Length", Integer.toString(b.length)));
                }
              }
              return new FuzzRequest("raw", m, t, v, headers, b, a, Transport.RAW, pick);
            });
  }

  private static List<Header> repeatedHeaders(int count) {
    List<Header> headers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      headers.add(new Header("X-Repeat-" + i, "value-" + i));
    }
    return headers;
  }

  // ---------------------------------------------------------------------------------------------
  // What every request has: authentication, content type, extra headers, transport.

  /**
   * What travels with a request besides its method, target, body and own headers.
   *
   * @param authorization the Authorization headers (none, one, or two)
   */
  record Envelope(
      List<Header> authorization, Auth auth, List<Header> extra, Transport transport, int pick) {

    FuzzRequest request(
        String kind, String method, String target, byte[] body, List<Header> own) {
      List<Header> headers = new ArrayList<>(authorization);
      headers.addAll(own);
      headers.addAll(extra);
      Transport how = transport;
      if (body == null && how != Transport.HTTP2) {
        how = Transport.HTTP1;
      }
      return new FuzzRequest(kind, method, target, "HTTP/1.1", headers, body, auth, how, pick);
    }
  }

  /**
   * An envelope whose authentication is {@code auth} (with valid ones, now and then an invalid one
   * anyway), for a request with or without a body.
   */
  private Arbitrary<Envelope> envelope(Auth auth, boolean withBody) {
    Arbitrary<Auth> chosen =
        auth == Auth.VALID
            ? Arbitraries.frequencyOf(
                List.of(w(40, Arbitraries.just(Auth.VALID)), w(1, Arbitraries.just(Auth.INVALID))))
            : Arbitraries.just(auth);
    Arbitrary<Transport> transport =
        withBody
            ? Arbitraries.frequencyOf(
                List.of(
                    w(70, Arbitraries.just(Transport.HTTP1)),
                    w(10, Arbitraries.just(Transport.HTTP1_CHUNKED)),
                    w(7, Arbitraries.just(Transport.HTTP1_EXPECT_CONTINUE)),
                    w(13, Arbitraries.just(Transport.HTTP2))))
            : Arbitraries.frequencyOf(
                List.of(
                    w(87, Arbitraries.just(Transport.HTTP1)),
                    w(13, Arbitraries.just(Transport.HTTP2))));
    return Combinators.combine(chosen.flatMap(this::authorization), extraHeaders(), transport, pick())
        .as((a, extra, t, p) -> new Envelope(a.headers(), a.auth(), extra, t, p));
  }

  private record Authorization(List<Header> headers, Auth auth) {}

  private Arbitrary<Authorization> authorization(Auth auth) {
    return switch (auth) {
      case VALID ->
          Arbitraries.frequencyOf(
              List.of(
                  w(30, Arbitraries.just(bearer("Bearer " + token))),
                  w(1, Arbitraries.just(bearer("bearer " + token))),
                  w(1, Arbitraries.just(bearer("BEARER " + token))),
                  w(1, Arbitraries.just(bearer("Bearer  " + token)))));
      case INVALID ->
          Arbitraries.of(
                  List.<Header>of(),
                  List.of(new Header("Authorization", "Bearer")),
                  List.of(new Header("Authorization", "Bearer ")),
                  List.of(new Header("Authorization", "")),
                  List.of(new Header("Authorization", "Basic dXNlcjpwYXNz")),
                  List.of(new Header("Authorization", "Bearer wrong-token")),
                  List.of(new Header("Authorization", "Bearer " + token.substring(0, 5))),
                  List.of(new Header("Authorization", "Bearer " + token + "x")),
                  List.of(new Header("Authorization", "Token " + token)),
                  List.of(new Header("Authorization", token)),
                  List.of(new Header("Authorization", "Bearer\t" + token)),
                  List.of(new Header("Authorization", "Bearer " + "t".repeat(6000))),
                  List.of(new Header("Authorization", "Bearer " + "t".repeat(20_000))),
                  List.of(new Header("Authorization", "Bearer " + utf8AsLatin1("tökén-😀"))),
                  List.of(new Header("Authorization", "Bearer \u00ff\u00fe")),
                  List.of(new Header("Authorization", "Bearer " + token + " extra")),
                  List.of(new Header("Authorization", "Bearer " + token.toUpperCase())),
                  List.of(new Header("Authorizatio", "Bearer " + token)),
                  List.of(new Header("Proxy-Authorization", "Bearer " + token)))
              .map(h -> new Authorization(h, Auth.INVALID));
      case UNKNOWN ->
          Arbitraries.of(
                  List.of(
                      new Header("Authorization", "Bearer wrong"),
                      new Header("Authorization", "Bearer " + token)),
                  List.of(
                      new Header("Authorization", "Bearer " + token),
                      new Header("Authorization", "Bearer wrong")),
                  List.of(new Header("Authorization", "Bearer " + token + " ")),
                  List.of(new Header("Authorization", " Bearer " + token)))
              .map(h -> new Authorization(h, Auth.UNKNOWN));
    };
  }

  private static Authorization bearer(String value) {
    return new Authorization(List.of(new Header("Authorization", value)), Auth.VALID);
  }

  private static Arbitrary<List<Header>> extraHeaders() {
    Arbitrary<Header> header =
        Combinators.combine(
                Arbitraries.of(
                    "X-Fuzz",
                    "X-Request-Id",
                    "Accept-Language",
                    "Cookie",
                    "If-None-Match",
                    "Range",
                    "X-Forwarded-For",
                    "Origin",
                    "Accept-Encoding",
                    "Accept-Charset",
                    "Content-Encoding",
                    "X-HTTP-Method-Override"),
                Arbitraries.frequencyOf(
                    List.of(
                        w(3, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(40)),
                        w(2, FuzzJson.text().map(FuzzRequests::utf8AsLatin1)),
                        w(
                            1,
                            Arbitraries.of(
                                "",
                                "gzip",
                                "deflate, br",
                                "bytes=0-1",
                                "DELETE",
                                "\u00ff\u00fe\u00fd",
                                "v".repeat(7000),
                                "v".repeat(10_000))))))
            .as(Header::new)
            .filter(h -> h.value().chars().allMatch(c -> c == '\t' || (c >= ' ' && c != 0x7f)));
    return Arbitraries.frequencyOf(
        List.of(
            w(8, Arbitraries.just(List.<Header>of())),
            w(2, header.list().ofMinSize(1).ofMaxSize(3))));
  }

  /** The Content-Type of a request: JSON as it should be, or not. */
  private static Arbitrary<Optional<String>> contentType(boolean jsonBody) {
    Arbitrary<Optional<String>> other =
        Arbitraries.of(
                "application/json; charset=utf-8",
                "APPLICATION/JSON",
                "application/json;charset=latin1",
                "application/json; charset=\"utf-16\"",
                "text/plain",
                "text/json",
                "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=xyz",
                "application/merge-patch+json",
                "application/json-patch+json",
                "application/octet-stream",
                "",
                "/",
                "application/",
                "application/json, text/plain",
                ";charset=utf-8",
                utf8AsLatin1("application/jsön"),
                "application/json;;",
                "*/*")
            .map(Optional::of);
    if (!jsonBody) {
      return Arbitraries.frequencyOf(
          List.of(w(9, Arbitraries.just(Optional.<String>empty())), w(1, other)));
    }
    return Arbitraries.frequencyOf(
        List.of(
            w(85, Arbitraries.just(Optional.of(JSON))),
            w(5, Arbitraries.just(Optional.<String>empty())),
            w(10, other)));
  }

  /** A request with a JSON body built from {@code body}, broken at the byte level now and then. */
  private Arbitrary<FuzzRequest> jsonRequest(
      String kind, Arbitrary<String> method, Arbitrary<String> target, Arbitrary<String> body) {
    return Combinators.combine(
            method, target, FuzzJson.bytes(body), contentType(true), envelope(Auth.VALID, true))
        .as(
            (m, t, b, type, e) -> {
              List<Header> headers = new ArrayList<>();
              type.ifPresent(v -> headers.add(new Header("Content-Type", v)));
              return e.request(kind, m, t, b, headers);
            });
  }

  private static Arbitrary<Integer> pick() {
    return Arbitraries.integers().between(0, Integer.MAX_VALUE).withoutEdgeCases();
  }

  // ---------------------------------------------------------------------------------------------
  // Encoding.

  /**
   * {@code raw} as a path segment: UTF-8, every byte but the unreserved ones percent-encoded, so
   * that the JDK client accepts it and the server decodes it back to {@code raw}. Dot segments stay
   * as they are, to be normalized by the server.
   */
  static String encodeSegment(String raw) {
    return encode(raw, "");
  }

  /** {@code raw} as a query value; a few separators are left as they are now and then. */
  static String encodeQuery(String raw) {
    return encode(raw, raw.length() % 7 == 3 ? "+," : "");
  }

  private static String encode(String raw, String keep) {
    StringBuilder out = new StringBuilder(raw.length());
    for (byte b : raw.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      boolean unreserved =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '.'
              || c == '_'
              || c == '~'
              || keep.indexOf(c) >= 0;
      if (unreserved) {
        out.append(c);
      } else {
        out.append('%').append("0123456789ABCDEF".charAt(c >> 4)).append("0123456789ABCDEF".charAt(c & 0xf));
      }
    }
    return out.toString();
  }

  /** The UTF-8 bytes of {@code text}, one character per byte, to send as raw header bytes. */
  static String utf8AsLatin1(String text) {
    return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
