package dev.toolrun.adapter.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.ports.in.ListInstancesUseCase.ListInstancesQuery;
import dev.toolrun.ports.out.InstanceFilter;
import dev.toolrun.ports.out.PageRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * MCP message bodies are read as strictly as the REST API's: bytes on a raw socket, so that no
 * client library normalises them first. What parsers could read two ways is a 400 with the JSON-RPC
 * parse error (-32700) and no id, as the Streamable HTTP transport says for input the server cannot
 * accept; nothing is opened or launched.
 */
class StrictMcpBodyTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String INITIALIZE_HEAD =
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
          + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":"
          + "{\"version\":\"1\",\"name\":\"";
  private static final String INITIALIZE_TAIL = "\"}}}";

  private McpTestServer server;

  @BeforeEach
  void start() {
    server = new McpTestServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** The answer to {@code body} sent as it is, with the token: status line and JSON body. */
  private Answer post(byte[] body, String... headers) throws IOException {
    URI base = URI.create(server.base);
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      StringBuilder head =
          new StringBuilder()
              .append("POST ")
              .append(McpEndpoint.PATH)
              .append(" HTTP/1.1\r\nHost: localhost\r\n")
              .append("Content-Type: application/json\r\n")
              .append("Accept: application/json, text/event-stream\r\n")
              .append("Authorization: Bearer ")
              .append(McpTestServer.TOKEN)
              .append("\r\n");
      for (int i = 0; i < headers.length; i += 2) {
        head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
      }
      head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      String response = all.toString(StandardCharsets.UTF_8);
      int status = Integer.parseInt(response.substring(9, 12));
      String payload = response.substring(response.indexOf("\r\n\r\n") + 4);
      return new Answer(status, payload, response.toLowerCase().contains("mcp-session-id:"));
    }
  }

  private record Answer(int status, String body, boolean openedSession) {
    Map<String, Object> error() {
      Map<String, Object> message = JSON.readValue(body, new TypeReference<>() {});
      assertThat(message).containsEntry("jsonrpc", "2.0").containsEntry("id", null);
      @SuppressWarnings("unchecked")
      Map<String, Object> error = (Map<String, Object>) message.get("error");
      return error;
    }
  }

  private static byte[] initializeNamed(byte[] name) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(INITIALIZE_HEAD.getBytes(StandardCharsets.UTF_8));
    body.writeBytes(name);
    body.writeBytes(INITIALIZE_TAIL.getBytes(StandardCharsets.UTF_8));
    return body.toByteArray();
  }

  private void assertParseError(Answer answer, String saying) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(400);
    assertThat(answer.error()).containsEntry("code", -32700);
    assertThat((String) answer.error().get("message")).contains(saying);
    assertThat(answer.openedSession()).isFalse();
    assertThat(server.endpoint.sessionCount()).isZero();
  }

  @Test
  void aMemberGivenTwiceIsAParseErrorNamingIt() throws IOException {
    String twice =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"method\":\"ping\",\"params\":"
            + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
            + "\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";

    assertParseError(post(twice.getBytes(StandardCharsets.UTF_8)), "\"method\"");
  }

  @Test
  void aMemberGivenTwiceDeepInsideIsAParseErrorToo() throws IOException {
    byte[] nested = initializeNamed("raw\",\"name\":\"other".getBytes(StandardCharsets.UTF_8));

    assertParseError(post(nested), "\"name\"");
  }

  @Test
  void anOverlongUtf8FormIsRefusedNotDecoded() throws IOException {
    // C0 AE C0 AE C0 AF: "../" to a lenient decoder.
    byte[] overlong = {
      (byte) 0xC0, (byte) 0xAE, (byte) 0xC0, (byte) 0xAE, (byte) 0xC0, (byte) 0xAF
    };

    assertParseError(post(initializeNamed(overlong)), "UTF-8");
  }

  @Test
  void anEncodedSurrogateIsRefused() throws IOException {
    byte[] surrogate = {(byte) 0xED, (byte) 0xA0, (byte) 0x80};

    assertParseError(post(initializeNamed(surrogate)), "UTF-8");
  }

  @Test
  void aLoneSurrogateEscapeIsRefused() throws IOException {
    assertParseError(
        post(initializeNamed("raw\\ud800".getBytes(StandardCharsets.UTF_8))), "lone surrogate");
  }

  @Test
  void aToolCallWithAnArgumentTwiceLaunchesNothing() throws IOException {
    Answer opened = post(initializeNamed("raw".getBytes(StandardCharsets.UTF_8)));
    assertThat(opened.status()).as(opened.body()).isEqualTo(200);
    assertThat(opened.openedSession()).isTrue();
    String call =
        "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":"
            + "{\"name\":\"echo\",\"arguments\":{\"name\":\"a\",\"name\":\"b\"}}}";

    Answer refused =
        post(
            call.getBytes(StandardCharsets.UTF_8),
            "Mcp-Session-Id",
            "any",
            "MCP-Protocol-Version",
            "2025-06-18");

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.error()).containsEntry("code", -32700);
    assertThat(
            server
                .application
                .listInstances()
                .list(new ListInstancesQuery(InstanceFilter.ALL, PageRequest.first(10)))
                .items())
        .isEmpty();
  }

  @Test
  void aPairedSurrogateAndPlainUnicodeAreTaken() throws IOException {
    // An emoji escaped as its surrogate pair, and one written as UTF-8 bytes.
    Answer escaped = post(initializeNamed("raw \\ud83d\\ude00".getBytes(StandardCharsets.UTF_8)));
    Answer plain = post(initializeNamed("raw \uD83D\uDE00 é".getBytes(StandardCharsets.UTF_8)));

    assertThat(escaped.status()).as(escaped.body()).isEqualTo(200);
    assertThat(plain.status()).as(plain.body()).isEqualTo(200);
  }
}
