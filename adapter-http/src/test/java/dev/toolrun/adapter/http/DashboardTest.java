package dev.toolrun.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.adapter.http.TestApi.Response;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dashboard's files at {@code /ui/}: served from the jar without the token, under a strict
 * content security policy, revalidated rather than cached blindly; what is not there is the API's
 * JSON 404, never a 500, and the contract's routes are untouched.
 */
class DashboardTest {
  private static final String NO_TOKEN = "Authorization";

  private static TestApi api;

  @BeforeAll
  static void start() {
    api = TestApi.start();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @Test
  void theIndexIsServedWithoutTheTokenUnderAStrictPolicy() {
    Response index = api.get("/ui/", NO_TOKEN, null);

    assertThat(index.status()).isEqualTo(200);
    assertThat(index.header("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(index.header("Content-Security-Policy"))
        .hasValueSatisfying(p -> assertThat(p).startsWith("default-src 'self';"));
    assertThat(index.header("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(index.header("Cache-Control")).hasValue("no-cache");
    assertThat(index.header("Last-Modified")).isPresent();
    assertThat(index.body()).contains("<script type=\"module\" src=\"js/main.js\"></script>");
  }

  @Test
  void everyFileTheIndexNamesIsThereWithItsType() {
    for (var file :
        List.of(
            List.of("/ui/dashboard.css", "text/css"),
            List.of("/ui/favicon.svg", "image/svg+xml"),
            List.of("/ui/js/main.js", "javascript"),
            List.of("/ui/js/sse.js", "javascript"),
            List.of("/ui/js/views/instance.js", "javascript"))) {
      Response response = api.get(file.get(0), NO_TOKEN, null);
      assertThat(response.status()).as(file.get(0)).isEqualTo(200);
      assertThat(response.header("Content-Type"))
          .as(file.get(0))
          .hasValueSatisfying(t -> assertThat(t).contains(file.get(1)));
    }
  }

  @Test
  void aFileNotChangedSinceItWasFetchedIsNotSentAgain() {
    String lastModified = api.get("/ui/js/api.js").header("Last-Modified").orElseThrow();

    Response again = api.get("/ui/js/api.js", "If-Modified-Since", lastModified);

    assertThat(again.status()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
  }

  @Test
  void theBarePathRedirectsToTheDashboard() {
    Response bare = api.get("/ui", NO_TOKEN, null);

    assertThat(bare.status()).isEqualTo(301);
    assertThat(bare.header("Location")).hasValue("/ui/");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/ui/nothing-here.js",
        "/ui/js/",
        "/ui/%2e%2e/%2e%2e/etc/passwd",
        "/ui/.hidden",
        "/uix"
      })
  void whatIsNotThereIsTheApisJson404(String path) {
    Response missing = api.get(path, NO_TOKEN, null);

    assertThat(missing.status()).as(path).isEqualTo(404);
    assertThat(missing.json().getString("code")).isEqualTo("NOT_FOUND");
  }

  @Test
  void onlyReadsAreAllowed() {
    Response post = api.post("/ui/index.html", "{}", NO_TOKEN, null);
    Response delete = api.delete("/ui", NO_TOKEN, null);

    assertThat(post.status()).isEqualTo(405);
    assertThat(post.json().getString("code")).isEqualTo("METHOD_NOT_ALLOWED");
    assertThat(post.header("Allow")).hasValue("GET, HEAD");
    assertThat(delete.status()).isEqualTo(405);
  }

  @Test
  void headAnswersTheHeadersAlone() {
    Response head = api.send("HEAD", "/ui/js/main.js", null, NO_TOKEN, null);

    assertThat(head.status()).isEqualTo(200);
    assertThat(head.header("Content-Length"))
        .hasValueSatisfying(l -> assertThat(l).isNotEqualTo("0"));
    assertThat(head.body()).isEmpty();
  }

  @Test
  void theApiStillWantsItsTokenAndKeepsItsOwnHeaders() {
    assertThat(api.get("/v1/tools", NO_TOKEN, null).status()).isEqualTo(401);
    Response tools = api.get("/v1/tools");
    assertThat(tools.status()).isEqualTo(200);
    assertThat(tools.header("Cache-Control")).hasValue("no-store");
    assertThat(tools.header("Content-Security-Policy")).isEmpty();
  }
}
