package dev.toolrun.app;

import static dev.toolrun.app.FuzzJson.optional;
import static dev.toolrun.app.FuzzJson.required;
import static dev.toolrun.app.Gen.w;

import dev.toolrun.app.FuzzRequest.Auth;
import dev.toolrun.app.FuzzRequest.Header;
import dev.toolrun.app.FuzzRequest.Transport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

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
          "PENDING",
          "CREATING",
          "STARTING",
          "RUNNING",
          "SERVING",
          "STOPPING",
          "SUCCEEDED",
          "FAILED",
          "TIMED_OUT",
          "CANCELLED",
          "STOPPED");
  private static final String JSON = "application/json";
  private static final int HUGE = 100_000;

  private final String token;

  /** Generators whose valid requests carry {@code token}. */
  FuzzRequests(String token) {
    this.token = token;
  }

  /** Any request, from the whole mix. */
  Gen<FuzzRequest> any() {
    return Gen.frequency(
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
            w(4, operations()),
            w(5, protocol())));
  }

  // ---------------------------------------------------------------------------------------------
  // Valid requests: the state machine.

  /** Requests that follow the contract, on the pool's tools and the instances launched so far. */
  Gen<FuzzRequest> valid() {
    Gen<String> taskTool = Gen.of(TASK_TOOLS);
    Gen<String> serviceTool = Gen.of(SERVICE_TOOLS);
    Gen<String> anyTool = Gen.of(concat(TASK_TOOLS, SERVICE_TOOLS));
    return Gen.frequency(
        List.of(
            w(
                3,
                registration(taskTool, validTaskSpec())
                    .flatMap(r -> validJson("valid", "PUT", "/v1/tools/" + r[0], r[1]))),
            w(
                1,
                registration(serviceTool, validServiceSpec())
                    .flatMap(r -> validJson("valid", "PUT", "/v1/tools/" + r[0], r[1]))),
            w(6, validLaunch(Gen.frequency(List.of(w(5, taskTool), w(1, serviceTool))))),
            w(4, validNoBody("GET", Gen.just("/v1/instances/" + FuzzRequest.KNOWN_ID))),
            w(
                2,
                validNoBody("POST", Gen.just("/v1/instances/" + FuzzRequest.KNOWN_ID + "/cancel"))),
            w(1, validNoBody("POST", Gen.just("/v1/instances/" + FuzzRequest.KNOWN_ID + "/stop"))),
            w(
                2,
                r ->
                    envelope(Auth.VALID, false)
                        .next(r)
                        .request(
                            "valid",
                            "GET",
                            "/v1/instances/"
                                + FuzzRequest.KNOWN_ID
                                + "/logs?from="
                                + Gen.of(0, 1, 2, 5).next(r)
                                + "&limit="
                                + Gen.of(1, 2, 1000, 10_000).next(r),
                            null,
                            List.of(
                                new Header(
                                    "Accept",
                                    Gen.of("text/plain", JSON, "*/*", "text/*").next(r))))),
            w(
                2,
                validNoBody(
                    "GET",
                    r -> {
                      String tool =
                          Gen.of(concat(List.of(""), concat(TASK_TOOLS, SERVICE_TOOLS))).next(r);
                      String state =
                          Gen.of("", "SUCCEEDED", "RUNNING,SERVING", "CANCELLED").next(r);
                      return "/v1/instances?limit="
                          + Gen.of(1, 2, 50, 500).next(r)
                          + (tool.isEmpty() ? "" : "&tool=" + tool)
                          + (state.isEmpty() ? "" : "&state=" + state)
                          + (r.nextInt(3) == 0 ? "&cursor=" + FuzzRequest.KNOWN_CURSOR : "");
                    })),
            w(
                2,
                validNoBody(
                    "GET",
                    anyTool.flatMap(
                        tool ->
                            Gen.of(
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

  // A tool and the body registering it with spec, under a description of any text.
  private static Gen<String[]> registration(Gen<String> tool, Gen<String> spec) {
    Gen<String> description = FuzzJson.text();
    return r ->
        new String[] {
          tool.next(r),
          "{\"description\":"
              + FuzzJson.quote(description.next(r), false)
              + ",\"spec\":"
              + spec.next(r)
              + "}"
        };
  }

  private Gen<FuzzRequest> validLaunch(Gen<String> tool) {
    Gen<String> parameters = validParameters();
    Gen<Optional<String>> key =
        Gen.frequency(
            List.of(
                w(3, Gen.just(Optional.<String>empty())),
                w(1, Gen.ints(0, 50).map(i -> Optional.of("fuzz-valid-key-" + i)))));
    return r -> {
      String body =
          "{\"tool\":"
              + FuzzJson.quote(tool.next(r), false)
              + ",\"parameters\":"
              + parameters.next(r)
              + "}";
      List<Header> headers = new ArrayList<>(List.of(new Header("Content-Type", JSON)));
      key.next(r).ifPresent(k -> headers.add(new Header("Idempotency-Key", k)));
      return envelope(Auth.VALID, true)
          .next(r)
          .request(
              "valid", "POST", "/v1/instances", body.getBytes(StandardCharsets.UTF_8), headers);
    };
  }

  private Gen<FuzzRequest> validJson(String kind, String method, String target, String body) {
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

  private Gen<FuzzRequest> validNoBody(String method, Gen<String> target) {
    Gen<Envelope> envelope = envelope(Auth.VALID, false);
    return r -> {
      String t = target.next(r);
      return envelope.next(r).request("valid", method, t, null, List.of());
    };
  }

  static Gen<String> validTaskSpec() {
    Gen<String> text = FuzzJson.text().map(t -> FuzzJson.quote(t, false));
    Gen<String> workload =
        Gen.oneOf(
            List.of(
                text.map(
                    arg ->
                        "\"image\":{\"name\":\"busybox:1\",\"command\":[\"sh\",\"-c\"],\"args\":["
                            + arg
                            + "]}"),
                text.map(
                    source -> "\"script\":{\"language\":\"python\",\"source\":" + source + "}"),
                Gen.just(
                    "\"script\":{\"language\":\"shell\",\"source\":\"echo"
                        + " hello\",\"args\":[\"a\"]}")));
    Gen<String> extras =
        Gen.of(
            "",
            ",\"timeoutSeconds\":60",
            ",\"env\":{\"GREETING\":\"héllo 😀\"}",
            ",\"resources\":{\"cpu\":{\"request\":\"100m\",\"limit\":\"1\"},"
                + "\"memory\":{\"request\":\"64Mi\",\"limit\":\"1Gi\"}}",
            ",\"tolerations\":[{\"key\":\"gpu\",\"operator\":\"Exists\","
                + "\"effect\":\"NoSchedule\"}]",
            ",\"cleanupPolicy\":\"NEVER\",\"retryLimit\":2,\"parallelism\":1,\"completions\":1");
    return r -> "{\"mode\":\"TASK\"," + workload.next(r) + extras.next(r) + "}";
  }

  static Gen<String> validServiceSpec() {
    return Gen.of(
        "{\"mode\":\"SERVICE\",\"image\":{\"name\":\"nginx:1\"},\"service\":{\"port\":8080}}",
        "{\"mode\":\"SERVICE\",\"image\":{\"name\":\"nginx:1\"},\"service\":{\"port\":80,"
            + "\"healthPath\":\"/\",\"maxConcurrentRequests\":4,\"onUnhealthy\":\"RESTART\"}}");
  }

  private static Gen<String> validParameters() {
    return Gen.frequency(
        List.of(
            w(
                4,
                FuzzJson.map(
                    Gen.strings("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", 1, 8),
                    Gen.frequency(
                        List.of(
                            w(3, FuzzJson.string(FuzzJson.text())),
                            w(2, FuzzJson.number()),
                            w(1, FuzzJson.anyValue().map(v -> v.replace("null", "0"))))),
                    4)),
            w(1, Gen.just("{\"name\":\"Ada\"}"))));
  }

  private static Gen<String> validEnvelope() {
    return Gen.of(
        "{}",
        "{\"method\":\"GET\",\"path\":\"/\"}",
        "{\"method\":\"POST\",\"path\":\"/echo?x=1\",\"headers\":{\"content-type\":\"text/plain\"},"
            + "\"body\":\"héllo\"}",
        "{\"method\":\"PUT\",\"path\":\"/x\",\"bodyBase64\":\"AAEC/w==\"}");
  }

  // ---------------------------------------------------------------------------------------------
  // Tool registration with broken specs.

  Gen<FuzzRequest> registerTool() {
    Gen<String> body =
        FuzzJson.object(
            List.of(
                optional("description", FuzzJson.string(FuzzJson.longText())),
                required("spec", spec())));
    return jsonRequest(
        "tool-spec", Gen.just("PUT"), toolNameSegment().map(n -> "/v1/tools/" + n), body);
  }

  static Gen<String> spec() {
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
            optional(
                "cleanupPolicy", FuzzJson.stringOf("ALWAYS", "ON_SUCCESS", "ON_FAILURE", "NEVER")),
            optional("istioSidecar", FuzzJson.bool()),
            optional("service", service()));
    List<FuzzJson.Field> withImage = new ArrayList<>(common);
    withImage.add(required("image", image()));
    List<FuzzJson.Field> withScript = new ArrayList<>(common);
    withScript.add(required("script", script()));
    List<FuzzJson.Field> withBoth = new ArrayList<>(withImage);
    withBoth.add(optional("script", script()));
    return Gen.frequency(
        List.of(
            w(5, FuzzJson.object(withImage)),
            w(3, FuzzJson.object(withScript)),
            w(1, FuzzJson.object(withBoth)),
            w(1, FuzzJson.deep())));
  }

  private static Gen<String> image() {
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

  private static Gen<String> script() {
    return FuzzJson.object(
        List.of(
            required("language", FuzzJson.stringOf("python", "shell", "PYTHON", "ruby", "")),
            required("source", FuzzJson.string(FuzzJson.longText())),
            optional("args", FuzzJson.list(FuzzJson.string(FuzzJson.text()), 3))));
  }

  private static Gen<String> resources() {
    Gen<String> range =
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
  static Gen<String> quantity() {
    return Gen.frequency(
        List.of(
            w(3, Gen.of("500m", "2", "1.5", "512Mi", "1Gi", "1e3", "0", "100n", "1E3", "+1")),
            w(
                4,
                Gen.of(
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

  private static Gen<String> toleration() {
    return FuzzJson.object(
        List.of(
            optional("key", FuzzJson.string(labelKey())),
            required("operator", FuzzJson.stringOf("Equal", "Exists", "equal", "In")),
            optional("value", FuzzJson.string(labelValue())),
            optional(
                "effect",
                FuzzJson.stringOf("NoSchedule", "PreferNoSchedule", "NoExecute", "Never")),
            optional("tolerationSeconds", FuzzJson.integer(0, 3600))));
  }

  private static Gen<String> affinity() {
    Gen<String> requirement =
        FuzzJson.object(
            List.of(
                required("key", FuzzJson.string(labelKey())),
                required(
                    "operator",
                    FuzzJson.stringOf("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt", "in")),
                optional("values", FuzzJson.list(FuzzJson.string(labelValue()), 3))));
    Gen<String> term =
        FuzzJson.object(List.of(required("requirements", FuzzJson.list(requirement, 3))));
    Gen<String> rule =
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

  private static Gen<String> security() {
    Gen<String> capability =
        FuzzJson.string(Gen.of("NET_ADMIN", "ALL", "net_admin", "", "SYS_ADMIN", "CHOWN"));
    return FuzzJson.object(
        List.of(
            optional("runAsNonRoot", FuzzJson.bool()),
            optional("runAsUser", FuzzJson.integer(0, 65_535)),
            optional("readOnlyRootFilesystem", FuzzJson.bool()),
            optional("allowPrivilegeEscalation", FuzzJson.bool()),
            optional("dropCapabilities", FuzzJson.list(capability, 3)),
            optional("addCapabilities", FuzzJson.list(capability, 3))));
  }

  private static Gen<String> volume() {
    return FuzzJson.object(
        List.of(
            required("claimName", FuzzJson.string(dnsName())),
            required(
                "mountPath",
                FuzzJson.stringOf(
                    "/data", "relative", "", "/a/../b", "/dev/null", "/toolrun/input")),
            optional("readOnly", FuzzJson.bool())));
  }

  private static Gen<String> service() {
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

  private static Gen<String> envName() {
    return Gen.frequency(
        List.of(
            w(3, Gen.of("FOO", "API_KEY", "_x", "A1", "TOOLRUN_INSTANCE_ID", "PATH")),
            w(2, Gen.of("1ABC", "a-b", "", "with space", "ÄPFEL", "=", "A=B")),
            w(1, FuzzJson.text())));
  }

  private static Gen<String> labelKey() {
    return Gen.frequency(
        List.of(
            w(3, Gen.of("disktype", "kubernetes.io/hostname", "example.com/zone", "gpu")),
            w(2, Gen.of("bad key", "/", "a/b/c", "", "-x", "x".repeat(64), "Ünïcode")),
            w(1, FuzzJson.text())));
  }

  private static Gen<String> labelValue() {
    return Gen.frequency(
        List.of(
            w(3, Gen.of("ssd", "true", "zone-a", "")),
            w(1, Gen.of("-x", "x".repeat(64), "a b", "ü")),
            w(1, FuzzJson.text())));
  }

  private static Gen<String> dnsName() {
    return Gen.frequency(
        List.of(
            w(3, Gen.of("default", "my-sa", "data-claim")),
            w(2, Gen.of("-bad", "UPPER", "a".repeat(300), "", "a.b", "a_b")),
            w(1, FuzzJson.text())));
  }

  // ---------------------------------------------------------------------------------------------
  // Launches with broken bodies and idempotency keys.

  Gen<FuzzRequest> launch() {
    Gen<String> body =
        FuzzJson.object(
            List.of(
                required("tool", FuzzJson.string(toolName())),
                optional("version", FuzzJson.integer(1, 4)),
                optional("parameters", parameters()),
                optional("secrets", FuzzJson.map(envName(), FuzzJson.string(FuzzJson.text()), 3))));
    Gen<byte[]> bytes = FuzzJson.bytes(body);
    Gen<Optional<String>> type = contentType(true);
    Gen<Optional<String>> key = idempotencyKey();
    Gen<Envelope> envelope = envelope(Auth.VALID, true);
    return r -> {
      byte[] b = bytes.next(r);
      List<Header> headers = new ArrayList<>();
      type.next(r).ifPresent(t -> headers.add(new Header("Content-Type", t)));
      key.next(r).ifPresent(k -> headers.add(new Header("Idempotency-Key", k)));
      return envelope.next(r).request("launch", "POST", "/v1/instances", b, headers);
    };
  }

  private static Gen<String> parameters() {
    return Gen.frequency(
        List.of(
            w(6, FuzzJson.map(FuzzJson.text(), FuzzJson.anyValue(), 5)),
            w(1, FuzzJson.deep().map(d -> "{\"deep\":" + d + "}")),
            w(1, Gen.of("{\"a\":null}", "{}", "{\"a\":1,\"a\":2}", "{\"\":\"\"}")),
            w(1, FuzzJson.longText().map(t -> "{\"text\":" + FuzzJson.quote(t, true) + "}"))));
  }

  private static Gen<Optional<String>> idempotencyKey() {
    return Gen.frequency(
        List.of(
            w(12, Gen.just(Optional.<String>empty())),
            w(4, Gen.of("fuzz-key-0", "fuzz-key-1", "fuzz-key-2", "fuzz-key-3").map(Optional::of)),
            w(2, Gen.strings('!', '~', 1, 255).map(Optional::of)),
            w(
                2,
                Gen.of(
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

  Gen<FuzzRequest> reads() {
    Gen<String> target =
        Gen.frequency(
            List.of(
                w(
                    3,
                    query(
                        "/v1/tools",
                        List.of(param("limit", limit()), param("cursor", cursorValue())))),
                w(2, toolNameSegment().map(n -> "/v1/tools/" + n)),
                w(2, toolNameSegment().map(n -> "/v1/tools/" + n + "/versions")),
                w(
                    2,
                    r ->
                        "/v1/tools/"
                            + toolNameSegment().next(r)
                            + "/versions/"
                            + versionSegment().next(r)),
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
    Gen<String> method = Gen.frequency(List.of(w(12, Gen.just("GET")), w(1, Gen.just("DELETE"))));
    Gen<Optional<String>> accept = accept();
    Gen<Envelope> envelope = envelope(Auth.VALID, false);
    return r -> {
      // DELETE exists on /v1/tools/{name} only; elsewhere it is a wrong method.
      String m = method.next(r);
      String t = target.next(r);
      List<Header> headers = new ArrayList<>();
      accept.next(r).ifPresent(v -> headers.add(new Header("Accept", v)));
      return envelope.next(r).request("read", m, t, null, headers);
    };
  }

  /** A path segment naming a tool: the pool's, valid ones, invalid ones, encoded. */
  static Gen<String> toolNameSegment() {
    return Gen.frequency(
            List.of(w(10, toolName()), w(1, Gen.of(".", "..", "a/b", "a%b", "a?b", "a#b", "a;b"))))
        .map(FuzzRequests::encodeSegment);
  }

  /** Tool names: the pool's, valid random ones, invalid ones, and now and then a huge one. */
  static Gen<String> toolName() {
    return Gen.frequency(
        List.of(
            w(12, Gen.of(concat(TASK_TOOLS, SERVICE_TOOLS))),
            w(
                4,
                Gen.strings("abcdefghijklmnopqrstuvwxyz0123456789-", 0, 61)
                    .map(s -> "f" + s + "0")),
            w(
                5,
                Gen.of(
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
            w(1, Gen.just("a".repeat(HUGE)))));
  }

  private static Gen<String> instanceIdSegment() {
    String uuid = "3f2c1a9e-8b7d-4c6e-9f10-2a3b4c5d6e7f";
    return Gen.frequency(
        List.of(
            w(12, Gen.just(FuzzRequest.KNOWN_ID)),
            w(4, r -> new UUID(r.nextLong(), r.nextLong()).toString()),
            w(
                4,
                Gen.of(
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
            w(2, FuzzJson.text().map(t -> encodeSegment("x" + t))),
            w(1, Gen.just("0".repeat(HUGE)))));
  }

  private static Gen<String> versionSegment() {
    return Gen.of(
            "1",
            "2",
            "3",
            "0",
            "-1",
            "2147483647",
            "2147483648",
            "99999999999999999999999",
            "abc",
            "1.0",
            "1e2",
            "+1",
            "0x10",
            "01",
            " 1",
            "١",
            "1%00",
            "")
        .map(FuzzRequests::encodeSegment);
  }

  private static Gen<String> limit() {
    return Gen.of(
        "1",
        "2",
        "50",
        "500",
        "0",
        "-1",
        "501",
        "2147483647",
        "2147483648",
        "-2147483649",
        "99999999999999999999",
        "abc",
        "",
        "1.5",
        "1e2",
        " 5",
        "0x10",
        "٣",
        "true",
        "null",
        "[1]");
  }

  private static Gen<String> logLimit() {
    return Gen.of("1", "1000", "10000", "10001", "0", "-5", "abc", "2147483648", "", "1.0", "1e3");
  }

  private static Gen<String> from() {
    return Gen.of(
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

  private static Gen<String> stateValue() {
    return Gen.frequency(
        List.of(
            w(4, Gen.of(STATES)),
            w(
                3,
                Gen.of(
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

  private static Gen<String> cursorValue() {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return Gen.frequency(
        List.of(
            w(3, Gen.of(concat(TASK_TOOLS, SERVICE_TOOLS)).map(FuzzRequests::cursor)),
            w(3, Gen.just(FuzzRequest.KNOWN_CURSOR)),
            w(
                4,
                Gen.of(
                    b64.encodeToString("UPPER".getBytes(StandardCharsets.UTF_8)),
                    b64.encodeToString(new byte[] {(byte) 0xC3, 0x28}),
                    b64.encodeToString(new byte[0]),
                    b64.encodeToString(
                        "3f2c1a9e-8b7d-4c6e-9f10-2a3b4c5d6e7f".getBytes(StandardCharsets.UTF_8)),
                    b64.encodeToString("2024-01-01T00:00:00Z|x".getBytes(StandardCharsets.UTF_8)),
                    Base64.getEncoder()
                        .encodeToString("fuzz-task-0".getBytes(StandardCharsets.UTF_8)),
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

  private static Gen<Optional<String>> accept() {
    return Gen.frequency(
        List.of(
            w(6, Gen.just(Optional.<String>empty())),
            w(
                3,
                Gen.of(
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
  private record Param(String name, Gen<String> value) {}

  private static Param param(String name, Gen<String> value) {
    return new Param(name, value);
  }

  /**
   * {@code path} with some of {@code params}, encoded, now and then repeated, without a value, or
   * with an unknown parameter added.
   */
  private static Gen<String> query(String path, List<Param> params) {
    List<Gen<Optional<String>>> parts = new ArrayList<>();
    for (Param p : params) {
      Gen<String> encoded =
          p.value()
              .map(v -> v.equals(FuzzRequest.KNOWN_CURSOR) ? v : encodeQuery(v))
              .map(v -> p.name() + "=" + v);
      parts.add(
          Gen.frequency(
              List.of(
                  w(4, encoded.map(Optional::of)),
                  w(1, Gen.just(Optional.of(p.name()))),
                  w(5, Gen.just(Optional.<String>empty())))));
    }
    parts.add(
        Gen.frequency(
            List.of(
                w(12, Gen.just(Optional.<String>empty())),
                w(
                    1,
                    Gen.of(
                            "unknown=1",
                            "LIMIT=5",
                            "limit[]=1",
                            "=",
                            "&&",
                            "a=%F0%9F%98%80",
                            "%E2%80%AE=1",
                            "x=" + "y".repeat(5000))
                        .map(Optional::of)))));
    return r -> {
      List<String> all = new ArrayList<>();
      parts.forEach(part -> part.next(r).ifPresent(all::add));
      return all.isEmpty() ? path : path + "?" + String.join("&", all);
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Cancel, stop and service requests.

  Gen<FuzzRequest> instanceActions() {
    Gen<String> target =
        r -> "/v1/instances/" + instanceIdSegment().next(r) + Gen.of("/cancel", "/stop").next(r);
    Gen<byte[]> body =
        Gen.frequency(
            List.of(w(6, Gen.just((byte[]) null)), w(1, FuzzJson.bytes(FuzzJson.anyValue()))));
    Gen<Optional<String>> type = contentType(false);
    Gen<Envelope> envelope = envelope(Auth.VALID, false);
    return r -> {
      String t = target.next(r);
      byte[] b = body.next(r);
      List<Header> headers = new ArrayList<>();
      type.next(r).ifPresent(v -> headers.add(new Header("Content-Type", v)));
      return envelope.next(r).request("action", "POST", t, b, headers);
    };
  }

  Gen<FuzzRequest> serviceRequests() {
    Gen<String> headerName =
        Gen.frequency(
            List.of(
                w(
                    3,
                    Gen.of(
                        "content-type",
                        "X-Custom",
                        "Host",
                        "Connection",
                        "Transfer-Encoding",
                        "Content-Length",
                        "Authorization",
                        "Proxy-Authorization")),
                w(1, Gen.of("", "bad name", "x:y", "ü", "a\r\nb", "x".repeat(300))),
                w(1, FuzzJson.text())));
    Gen<String> body =
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
                    FuzzJson.stringOf(
                        "aGVsbG8=", "!!!", "", "aGVsbG8", "YQ==\n", "====", "AAEC/w=="))));
    return jsonRequest(
        "service-request",
        Gen.just("POST"),
        instanceIdSegment().map(id -> "/v1/instances/" + id + "/requests"),
        body);
  }

  // ---------------------------------------------------------------------------------------------
  // Authentication, routes, methods, body size and nesting, the codec, operations.

  Gen<FuzzRequest> badAuth() {
    Gen<String[]> operation =
        Gen.of(
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
    Gen<byte[]> body =
        Gen.frequency(
            List.of(
                w(24, Gen.just((byte[]) null)),
                w(
                    6,
                    Gen.just(
                        "{\"spec\":{\"mode\":\"TASK\",\"image\":{\"name\":\"busybox:1\"}}}"
                            .getBytes(StandardCharsets.UTF_8))),
                // Refused before it is read: an anonymous caller costs nothing.
                w(1, Gen.just(new byte[1_100_000]))));
    Gen<Envelope> envelope =
        Gen.frequency(List.of(w(9, Gen.just(Auth.INVALID)), w(1, Gen.just(Auth.UNKNOWN))))
            .flatMap(auth -> envelope(auth, false));
    return r -> {
      String[] op = operation.next(r);
      byte[] b = body.next(r);
      return envelope
          .next(r)
          .request(
              "auth",
              op[0],
              op[1],
              b,
              b == null ? List.of() : List.of(new Header("Content-Type", JSON)));
    };
  }

  Gen<FuzzRequest> wrongRoutes() {
    Gen<String> method =
        Gen.of(
            "GET",
            "POST",
            "PUT",
            "DELETE",
            "PATCH",
            "HEAD",
            "OPTIONS",
            "TRACE",
            "FUZZ",
            "get",
            "PROPFIND",
            "M-SEARCH");
    Gen<String> path =
        Gen.of(
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
    Gen<byte[]> body =
        Gen.frequency(
            List.of(w(4, Gen.just((byte[]) null)), w(1, FuzzJson.bytes(FuzzJson.anyValue()))));
    Gen<Envelope> envelope = envelope(Auth.VALID, false);
    return r -> {
      String m = method.next(r);
      String p = path.next(r);
      // The JDK client sends no body with HEAD.
      byte[] b = m.equals("HEAD") ? null : body.next(r);
      return envelope
          .next(r)
          .request(
              "route", m, p, b, b == null ? List.of() : List.of(new Header("Content-Type", JSON)));
    };
  }

  Gen<FuzzRequest> bodyAttacks() {
    Gen<String> target =
        Gen.of(
            "PUT /v1/tools/fuzz-task-0",
            "PUT /v1/tools/fuzz-oversize",
            "POST /v1/instances",
            "POST /v1/instances/" + FuzzRequest.KNOWN_ID + "/requests");
    Gen<byte[]> body =
        Gen.frequency(
            List.of(
                w(1, oversize()),
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
                w(2, Gen.ints(0, 4).map(FuzzRequests::wide))));
    Gen<Optional<String>> type = contentType(true);
    Gen<Envelope> envelope = envelope(Auth.VALID, true);
    return r -> {
      String[] methodAndPath = target.next(r).split(" ", 2);
      byte[] b = body.next(r);
      List<Header> headers = new ArrayList<>();
      type.next(r).ifPresent(v -> headers.add(new Header("Content-Type", v)));
      return envelope.next(r).request("body", methodAndPath[0], methodAndPath[1], b, headers);
    };
  }

  /** Bodies around and beyond the 1 MiB limit. */
  private static Gen<byte[]> oversize() {
    Gen<Integer> sizes = Gen.of(1_000_000, 1_048_576, 1_048_577, 1_100_000, 1_500_000);
    Gen<String> hows = Gen.of("description", "whitespace", "parameters");
    return r -> {
      int size = sizes.next(r);
      String how = hows.next(r);
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
    };
  }

  /**
   * Wide rather than deep: many keys, many elements, a 100,000-digit number, more violations than
   * an answer lists.
   */
  private static byte[] wide(int which) {
    StringBuilder out = new StringBuilder();
    switch (which) {
      case 0 -> {
        out.append("{\"tool\":\"fuzz-task-0\",\"parameters\":{");
        for (int i = 0; i < 5_000; i++) {
          out.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
        }
        out.append("}}");
      }
      case 1 -> {
        out.append("{\"tool\":\"fuzz-task-0\",\"parameters\":{\"a\":[");
        for (int i = 0; i < 20_000; i++) {
          out.append(i == 0 ? "" : ",").append('1');
        }
        out.append("]}}");
      }
      case 2 ->
          out.append("{\"tool\":\"fuzz-task-0\",\"version\":")
              .append("9".repeat(100_000))
              .append('}');
      case 3 -> {
        out.append("{\"spec\":{\"mode\":\"TASK\",\"image\":{\"name\":\"a\"},\"tolerations\":[");
        // Enough broken items for more errors than are listed (500) and reported (100).
        for (int i = 0; i < 600; i++) {
          out.append(i == 0 ? "" : ",").append("{\"operator\":\"Nope\",\"effect\":1}");
        }
        out.append("]}}");
      }
      default -> {
        out.append("{\"spec\":{\"mode\":\"TASK\",\"image\":{\"name\":\"a\"},\"env\":{");
        for (int i = 0; i < 600; i++) {
          out.append(i == 0 ? "" : ",").append("\"").append(i).append("bad\":").append(i);
        }
        out.append("}}}");
      }
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  Gen<FuzzRequest> operations() {
    Gen<String> target =
        r ->
            Gen.of("/health/live", "/health/ready", "/openapi.yaml", "/v1/runtime/capabilities")
                    .next(r)
                + Gen.of("", "", "", "?x=1", "?%F0%9F%98%80=%E2%80%AE", "?" + "q".repeat(3000))
                    .next(r);
    Gen<Envelope> envelope =
        Gen.frequency(List.of(w(6, Gen.just(Auth.VALID)), w(1, Gen.just(Auth.INVALID))))
            .flatMap(auth -> envelope(auth, false));
    Gen<Optional<String>> accept = accept();
    return r -> {
      String t = target.next(r);
      List<Header> headers = new ArrayList<>();
      accept.next(r).ifPresent(v -> headers.add(new Header("Accept", v)));
      return envelope.next(r).request("operations", "GET", t, null, headers);
    };
  }

  /** Requests the JDK client refuses to make: broken request lines, headers and framing. */
  Gen<FuzzRequest> raw() {
    Gen<String> target =
        Gen.of(
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
    Gen<String> method = Gen.of("GET", "GET", "GET", "PUT", "POST", "get", "G@T", "");
    Gen<String> version =
        Gen.of(
            "HTTP/1.1",
            "HTTP/1.1",
            "HTTP/1.1",
            "HTTP/1.1",
            "HTTP/1.0",
            "HTTP/2.0",
            "HTTP/9.9",
            "http/1.1",
            "",
            "HTTP/1.1 extra");
    Gen<List<Header>> framing =
        Gen.of(
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
    Gen<String> host =
        Gen.of("127.0.0.1", "127.0.0.1", "127.0.0.1", "", "none", "two", utf8AsLatin1("hößt"));
    Gen<byte[]> body =
        Gen.of(
            (byte[]) null,
            "{}".getBytes(StandardCharsets.UTF_8),
            "{\"tool\":\"fuzz-task-0\"}".getBytes(StandardCharsets.UTF_8));
    // A chunked body always ends, broken or not, so that the server never waits for more.
    Gen<byte[]> chunked =
        Gen.of(
            "zz\r\nbroken chunk\r\n0\r\n\r\n".getBytes(StandardCharsets.UTF_8),
            "2\r\n{}\r\n0\r\n\r\n".getBytes(StandardCharsets.UTF_8),
            "0\r\n\r\n".getBytes(StandardCharsets.UTF_8),
            "2\r\n{}\r\n0\r\nX-Trailer: 1\r\n\r\n".getBytes(StandardCharsets.UTF_8));
    Gen<Auth> auth =
        Gen.frequency(List.of(w(4, Gen.just(Auth.VALID)), w(1, Gen.just(Auth.INVALID))));
    Gen<Integer> picks = pick();
    return r -> {
      String m = method.next(r);
      String t = target.next(r);
      String v = version.next(r);
      List<Header> f = framing.next(r);
      String h = host.next(r);
      boolean isChunked =
          f.stream()
              .anyMatch(
                  x ->
                      x.name().equalsIgnoreCase("Transfer-Encoding")
                          && x.value().equals("chunked"));
      boolean isSized = f.stream().anyMatch(x -> x.name().equalsIgnoreCase("Content-Length"));
      // A declared body always comes, so that the server never waits for more; invalid or
      // conflicting lengths are refused by the codec, or read as one of them.
      byte[] b =
          isChunked
              ? chunked.next(r)
              : isSized ? "{} ".getBytes(StandardCharsets.UTF_8) : body.next(r);
      Auth a = auth.next(r);
      int pick = picks.next(r);
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
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Strict protocol: requests a lenient server reads one way and a proxy another. Each kind has
  // one status it must get (HttpFuzzTest.EXPECTED); they are otherwise valid, so that nothing
  // else could be the reason for it.

  /** Ambiguous framing, non-strict UTF-8, duplicate fields, two tokens, other media, HEAD, 405. */
  Gen<FuzzRequest> protocol() {
    String launch = "{\"tool\":\"fuzz-task-0\",\"parameters\":{\"n\":\"%s\"}}";
    String register =
        "{\"description\":\"%s\",\"spec\":{\"mode\":\"TASK\",\"script\":"
            + "{\"language\":\"shell\",\"source\":\"echo hi\"}}}";
    Gen<String[]> jsonTarget =
        Gen.of(
            new String[] {"POST", "/v1/instances", launch},
            new String[] {"PUT", "/v1/tools/fuzz-task-1", register});
    // Overlong forms, encoded surrogates, truncated and stray bytes, as Latin-1 characters.
    Gen<String> badUtf8 =
        Gen.of(
            "\u00c0\u00ae\u00c0\u00ae\u00c0\u00af",
            "\u00c0\u0080",
            "\u00e0\u0080\u00af",
            "\u00f0\u0080\u0080\u00af",
            "\u00ed\u00a0\u0080",
            "\u00ed\u00bf\u00bf",
            "\u00e2\u0082",
            "\u00ff",
            "\u0080");
    Gen<String> loneSurrogate = Gen.of("\\ud800", "\\udfff", "a\\udbffb", "\\ude00\\ud83d");
    Gen<String> badUri =
        Gen.of(
            "/v1/tools/%C0%AE%C0%AE%C0%AF",
            "/v1/tools/%ED%A0%80",
            "/v1/tools/%E0%80%AF",
            "/health/%C0%AE%C0%AE/v1/tools",
            "/v1/instances?tool=%C0%AE",
            "/v1/instances?tool=%ED%B0%80",
            "/v1/tools?cursor=%E2%82");
    Gen<String> otherMedia =
        Gen.of(
            "multipart/form-data; boundary=xyz",
            "application/jsonx",
            "application/merge-patch+json",
            "application/json-seq",
            "text/json",
            "application/x-www-form-urlencoded",
            "application/json; charset=iso-8859-1");
    Gen<String> headTarget =
        Gen.of(
            "/v1/tools",
            "/v1/tools/fuzz-task-0",
            "/v1/tools/fuzz-absent",
            "/v1/instances?limit=3",
            "/v1/runtime/capabilities",
            "/health/live",
            "/openapi.yaml");
    Gen<String[]> notAllowed =
        Gen.of(
            new String[] {"PUT", "/v1/tools/"},
            new String[] {"PUT", "/v1/tools"},
            new String[] {"PATCH", "/v1/tools/fuzz-task-0"},
            new String[] {"DELETE", "/health/live"},
            new String[] {"POST", "/openapi.yaml"},
            new String[] {"PUT", "/v1/instances"});
    Gen<Integer> picks = pick();
    Gen<Integer> which = Gen.ints(0, 7);
    return r -> {
      int pick = picks.next(r);
      String[] json = jsonTarget.next(r);
      List<Header> jsonType = List.of(new Header("Content-Type", JSON));
      List<Header> bearer = List.of(new Header("Authorization", "Bearer " + token));
      return switch (which.next(r)) {
        case 0 -> ambiguousFraming(r, pick);
        case 1 ->
            new FuzzRequest(
                "strict-utf8",
                json[0],
                json[1],
                "HTTP/1.1",
                concat(bearer, jsonType),
                json[2].formatted(badUtf8.next(r)).getBytes(StandardCharsets.ISO_8859_1),
                Auth.VALID,
                Transport.HTTP1,
                pick);
        case 2 ->
            new FuzzRequest(
                "strict-surrogate",
                json[0],
                json[1],
                "HTTP/1.1",
                concat(bearer, jsonType),
                json[2].formatted(loneSurrogate.next(r)).getBytes(StandardCharsets.UTF_8),
                Auth.VALID,
                Transport.HTTP1,
                pick);
        case 3 ->
            new FuzzRequest(
                "strict-uri",
                "GET",
                badUri.next(r),
                "HTTP/1.1",
                bearer,
                null,
                Auth.VALID,
                Transport.HTTP1,
                pick);
        case 4 -> {
          // The field given twice: first, last, or nested, with values that differ.
          String body =
              Gen.of(
                      "{\"tool\":\"fuzz-task-0\",\"tool\":\"fuzz-task-1\"}",
                      "{\"tool\":\"fuzz-task-0\",\"parameters\":{\"a\":1,\"b\":2,\"a\":3}}",
                      "{\"tool\":\"fuzz-task-0\",\"parameters\":{\"x\":[{\"k\":1,\"k\":1}]}}")
                  .next(r);
          yield new FuzzRequest(
              "strict-duplicate",
              "POST",
              "/v1/instances",
              "HTTP/1.1",
              concat(bearer, jsonType),
              body.getBytes(StandardCharsets.UTF_8),
              Auth.VALID,
              Transport.HTTP1,
              pick);
        }
        case 5 -> {
          // Raw, so that both lines go out as they are: the same token twice, or another one.
          String second = r.nextBoolean() ? "Bearer " + token : "Bearer other-token";
          yield new FuzzRequest(
              "strict-two-tokens",
              "GET",
              "/v1/tools",
              "HTTP/1.1",
              List.of(
                  new Header("Host", "127.0.0.1"),
                  new Header("Authorization", "Bearer " + token),
                  new Header("Authorization", second),
                  new Header("Connection", "close")),
              null,
              Auth.UNKNOWN,
              Transport.RAW,
              pick);
        }
        case 6 ->
            new FuzzRequest(
                "strict-media",
                json[0],
                json[1],
                "HTTP/1.1",
                concat(bearer, List.of(new Header("Content-Type", otherMedia.next(r)))),
                json[2].formatted("fine").getBytes(StandardCharsets.UTF_8),
                Auth.VALID,
                Transport.HTTP1,
                pick);
        default -> {
          if (r.nextBoolean()) {
            yield new FuzzRequest(
                "strict-head",
                "HEAD",
                headTarget.next(r),
                "HTTP/1.1",
                bearer,
                null,
                Auth.VALID,
                Transport.HTTP1,
                pick);
          }
          String[] wrong = notAllowed.next(r);
          yield new FuzzRequest(
              "strict-405",
              wrong[0],
              wrong[1],
              "HTTP/1.1",
              bearer,
              null,
              Auth.VALID,
              Transport.HTTP1,
              pick);
        }
      };
    };
  }

  /**
   * A request whose length a proxy may read otherwise than the server, with a second request hidden
   * where one reading ends and the other does not.
   */
  private FuzzRequest ambiguousFraming(java.util.Random r, int pick) {
    String hidden =
        "DELETE /v1/tools/fuzz-task-2 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
            + token
            + "\r\n\r\n";
    byte[] body = ("0\r\n\r\n" + hidden).getBytes(StandardCharsets.ISO_8859_1);
    List<Header> headers = new ArrayList<>();
    headers.add(new Header("Host", "127.0.0.1"));
    headers.add(new Header("Authorization", "Bearer " + token));
    headers.add(new Header("Content-Type", JSON));
    String version = "HTTP/1.1";
    switch (r.nextInt(4)) {
      case 0 -> {
        headers.add(new Header("Content-Length", Integer.toString(body.length)));
        headers.add(new Header("Transfer-Encoding", "chunked"));
      }
      case 1 -> {
        headers.add(new Header("Transfer-Encoding", "chunked"));
        headers.add(new Header("Content-Length", Integer.toString(body.length)));
      }
      case 2 -> headers.add(new Header("Transfer-Encoding", "gzip, chunked"));
      default -> {
        version = "HTTP/1.0";
        headers.add(new Header("Transfer-Encoding", "chunked"));
      }
    }
    return new FuzzRequest(
        "strict-framing",
        "POST",
        "/v1/instances",
        version,
        headers,
        body,
        Auth.VALID,
        Transport.RAW,
        pick);
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

    FuzzRequest request(String kind, String method, String target, byte[] body, List<Header> own) {
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
  private Gen<Envelope> envelope(Auth auth, boolean withBody) {
    Gen<Auth> chosen =
        auth == Auth.VALID
            ? Gen.frequency(List.of(w(40, Gen.just(Auth.VALID)), w(1, Gen.just(Auth.INVALID))))
            : Gen.just(auth);
    Gen<Transport> transport =
        withBody
            ? Gen.frequency(
                List.of(
                    w(70, Gen.just(Transport.HTTP1)),
                    w(10, Gen.just(Transport.HTTP1_CHUNKED)),
                    w(7, Gen.just(Transport.HTTP1_EXPECT_CONTINUE)),
                    w(13, Gen.just(Transport.HTTP2))))
            : Gen.frequency(
                List.of(w(87, Gen.just(Transport.HTTP1)), w(13, Gen.just(Transport.HTTP2))));
    Gen<Authorization> authorization = chosen.flatMap(this::authorization);
    Gen<List<Header>> extra = extraHeaders();
    Gen<Integer> pick = pick();
    return r -> {
      Authorization a = authorization.next(r);
      return new Envelope(a.headers(), a.auth(), extra.next(r), transport.next(r), pick.next(r));
    };
  }

  private record Authorization(List<Header> headers, Auth auth) {}

  private Gen<Authorization> authorization(Auth auth) {
    return switch (auth) {
      case VALID ->
          Gen.frequency(
              List.of(
                  w(30, Gen.just(bearer("Bearer " + token))),
                  w(1, Gen.just(bearer("bearer " + token))),
                  w(1, Gen.just(bearer("BEARER " + token))),
                  w(1, Gen.just(bearer("Bearer  " + token)))));
      case INVALID ->
          Gen.of(
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
          Gen.of(
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

  private static Gen<List<Header>> extraHeaders() {
    Gen<String> name =
        Gen.of(
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
            "X-HTTP-Method-Override");
    Gen<String> value =
        Gen.frequency(
            List.of(
                w(3, Gen.strings(' ', '~', 0, 40)),
                w(2, FuzzJson.text().map(FuzzRequests::utf8AsLatin1)),
                w(
                    1,
                    Gen.of(
                        "",
                        "gzip",
                        "deflate, br",
                        "bytes=0-1",
                        "DELETE",
                        "\u00ff\u00fe\u00fd",
                        "v".repeat(7000),
                        "v".repeat(10_000)))));
    // The JDK client sends no control characters in header values.
    Gen<Header> header =
        r ->
            new Header(
                name.next(r), value.next(r).replaceAll("[\\x00-\\x08\\x0a-\\x1f\\x7f]", "?"));
    return Gen.frequency(List.of(w(8, Gen.just(List.<Header>of())), w(2, header.list(1, 3))));
  }

  /** The Content-Type of a request: JSON as it should be, or not. */
  private static Gen<Optional<String>> contentType(boolean jsonBody) {
    Gen<Optional<String>> other =
        Gen.of(
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
      return Gen.frequency(List.of(w(9, Gen.just(Optional.<String>empty())), w(1, other)));
    }
    return Gen.frequency(
        List.of(
            w(85, Gen.just(Optional.of(JSON))),
            w(5, Gen.just(Optional.<String>empty())),
            w(10, other)));
  }

  /** A request with a JSON body built from {@code body}, broken at the byte level now and then. */
  private Gen<FuzzRequest> jsonRequest(
      String kind, Gen<String> method, Gen<String> target, Gen<String> body) {
    Gen<byte[]> bytes = FuzzJson.bytes(body);
    Gen<Optional<String>> type = contentType(true);
    Gen<Envelope> envelope = envelope(Auth.VALID, true);
    return r -> {
      String m = method.next(r);
      String t = target.next(r);
      byte[] b = bytes.next(r);
      List<Header> headers = new ArrayList<>();
      type.next(r).ifPresent(v -> headers.add(new Header("Content-Type", v)));
      return envelope.next(r).request(kind, m, t, b, headers);
    };
  }

  private static Gen<Integer> pick() {
    return Gen.ints(0, Integer.MAX_VALUE - 1);
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
        out.append('%')
            .append("0123456789ABCDEF".charAt(c >> 4))
            .append("0123456789ABCDEF".charAt(c & 0xf));
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
