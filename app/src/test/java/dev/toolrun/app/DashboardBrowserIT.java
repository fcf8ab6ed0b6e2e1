package dev.toolrun.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.toolrun.adapter.inmemory.InMemoryAdapter;
import dev.toolrun.adapter.inmemory.InMemoryWorkloadRuntime;
import dev.toolrun.adapter.inmemory.Scenario;
import dev.toolrun.app.config.ConfigLoader;
import dev.toolrun.app.config.ToolrunConfig;
import dev.toolrun.domain.tool.ToolName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium}, driven through its {@code
 * chromedriver}), against the whole server on the in-memory runtime: sign in (and a refused token),
 * the README's greeter launched from its form and watched to SUCCEEDED with its log and result, the
 * instances list live from the watch, and a running task cancelled. Nothing here reloads the page
 * to see a change: each test marks the page and checks the mark is still there. It saves the three
 * main pages as {@code target/dashboard-images/dashboard-*.png}, or, with {@code
 * -Ddashboard.images=../docs/images}, over the ones the README shows. Skipped when the packages are
 * not installed; CI installs them ({@code .ci/run}), and there a missing one fails.
 */
class DashboardBrowserIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  // A test run leaves the checkout as it found it, unless asked to refresh the README's pictures.
  private static final Path IMAGES =
      Path.of(System.getProperty("dashboard.images", "target/dashboard-images"));
  private static final String TOKEN = "dashboard-it";
  private static final Duration WAIT = Duration.ofSeconds(20);

  /** The README's quick start greeter: its input schema wants a non-empty string "name". */
  private static final String GREETER =
      """
      {"description": "Greets someone",
        "spec": {"mode": "TASK", "timeoutSeconds": 60,
          "inputSchema": {"type": "object", "required": ["name"],
            "properties": {"name": {"type": "string", "minLength": 1}}},
          "script": {"language": "python", "source":
          "import json, os\\nparams = json.load(open(os.environ[\\"TOOLRUN_PARAMETERS_FILE\\"]))\\nprint(\\"hello\\", params[\\"name\\"])\\nopen(os.environ[\\"TOOLRUN_RESULT_FILE\\"], \\"w\\").write(json.dumps({\\"greeting\\": \\"hello \\" + params[\\"name\\"]}))\\n"}}}
      """;

  /** The README's service, so that the catalog shows both modes. */
  private static final String HELLO_SERVICE =
      """
      {"description": "Says hello on every path",
        "spec": {"mode": "SERVICE", "service": {"port": 8000, "healthPath": "/health"},
          "script": {"language": "python", "source": "import http.server\\n"}}}
      """;

  /**
   * A task the in-memory runtime keeps running (scripted to never finish) until it is cancelled.
   */
  private static final String SLEEPER =
      """
      {"description": "Runs until it is cancelled",
       "spec": {"mode": "TASK", "timeoutSeconds": 3600,
         "script": {"language": "shell", "source": "sleep 3600"}}}
      """;

  /** A task the in-memory runtime fails with exit code 3. */
  private static final String FLAKY =
      """
      {"description": "Fails with exit code 3",
       "spec": {"mode": "TASK", "image": {"name": "registry.example/flaky:1"}}}
      """;

  /** A tool whose input schema has a property of each kind the launch form draws. */
  private static final String TYPED =
      """
      {"description": "Takes one parameter of each kind",
       "spec": {"mode": "TASK", "image": {"name": "registry.example/typed:1"},
         "inputSchema": {"type": "object", "required": ["times"], "additionalProperties": false,
           "properties": {
             "times": {"type": "integer", "minimum": 1, "maximum": 5, "description": "How often"},
             "ratio": {"type": "number"},
             "loud": {"type": "boolean"},
             "tone": {"enum": ["warm", "dry"]},
             "tags": {"type": "array", "items": {"type": "string"}},
             "note": {"type": "string"}}}}}
      """;

  /** A task with a secret input, which a launch gives as a value or by a Secret's name. */
  private static final String SIGNER =
      """
      {"description": "Signs with a token",
       "spec": {"mode": "TASK", "image": {"name": "registry.example/signer:1"},
         "secretInputs": ["TOKEN"]}}
      """;

  /** A task whose log grows a line per step, long enough to be cut in the middle. */
  private static final String CHATTY =
      """
      {"description": "Writes twenty lines, one at a time",
       "spec": {"mode": "TASK", "image": {"name": "registry.example/chatty:1"}}}
      """;

  private static final List<String> CHATTY_LINES =
      IntStream.range(0, 20).mapToObj(i -> "line " + i).toList();

  private static ToolrunServer server;
  private static ToolrunClient client;
  private static ChromeDriverService driverService;
  private static WebDriver browser;
  private static WebDriverWait wait;
  private static String base;
  private static Path profile;

  @BeforeAll
  static void start() throws IOException {
    if ("true".equals(System.getenv("CI"))) {
      // CI installs the packages (.ci/run): there, a missing binary is a failure, not a skip.
      assertThat(Files.isExecutable(CHROMIUM)).as("%s is installed", CHROMIUM).isTrue();
      assertThat(Files.isExecutable(CHROMEDRIVER)).as("%s is installed", CHROMEDRIVER).isTrue();
    }
    assumeThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
        .as("Debian's chromium and chromium-driver are installed")
        .isTrue();
    ToolrunConfig config =
        new ConfigLoader()
            .load(
                List.of(),
                Map.of(
                    "TOOLRUN_HTTP_PORT", "0",
                    "TOOLRUN_HTTP_HOST", "127.0.0.1",
                    "TOOLRUN_AUTH_TOKEN", TOKEN,
                    // Slow enough that a run passes visibly through its states.
                    "TOOLRUN_IN_MEMORY_STEP_DELAY_MS", "250"));
    server =
        Main.createServer(
            config,
            injector -> {
              InMemoryWorkloadRuntime runtime =
                  injector.getInstance(InMemoryAdapter.class).runtime();
              runtime.script(new ToolName("sleeper"), Scenario.neverFinish());
              runtime.script(
                  new ToolName("flaky"), Scenario.fail(3, List.of("connecting", "giving up")));
              runtime.script(
                  new ToolName("chatty"), Scenario.succeed(CHATTY_LINES, "{\"lines\": 20}"));
              runtime.defineSecret("signer-token", Set.of("TOKEN"));
            });
    int port = server.start();
    base = "http://127.0.0.1:" + port;
    client = new ToolrunClient(port, TOKEN);
    assertThat(client.put("/v1/tools/greeter", GREETER).status()).isEqualTo(201);
    assertThat(client.put("/v1/tools/sleeper", SLEEPER).status()).isEqualTo(201);
    assertThat(client.put("/v1/tools/hello-service", HELLO_SERVICE).status()).isEqualTo(201);
    assertThat(client.put("/v1/tools/flaky", FLAKY).status()).isEqualTo(201);
    assertThat(client.put("/v1/tools/chatty", CHATTY).status()).isEqualTo(201);
    assertThat(client.put("/v1/tools/typed", TYPED).status()).isEqualTo(201);
    assertThat(client.put("/v1/tools/signer", SIGNER).status()).isEqualTo(201);

    profile = Files.createTempDirectory("toolrun-chromium-");
    driverService =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1366,900",
        "--user-data-dir=" + profile);
    // The console, to check that the content security policy never had to block anything.
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    browser = new ChromeDriver(driverService, options);
    wait = new WebDriverWait(browser, WAIT);
    // A row or a section is drawn anew at each change: one found a moment ago may be gone.
    wait.ignoring(StaleElementReferenceException.class);
  }

  @AfterAll
  static void stop() throws IOException {
    if (browser != null) {
      browser.quit();
    }
    if (driverService != null) {
      driverService.stop();
    }
    if (server != null) {
      server.stop();
    }
    if (profile != null) {
      try (var files = Files.walk(profile)) {
        files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
      }
    }
  }

  @BeforeEach
  void signedOut() {
    browser.get(base + "/ui/");
    ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
    browser.navigate().refresh();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
  }

  @AfterEach
  void nothingWasBlockedByTheContentSecurityPolicy() {
    List<String> blocked =
        browser.manage().logs().get(LogType.BROWSER).getAll().stream()
            .map(LogEntry::getMessage)
            .filter(message -> message.contains("Content Security Policy"))
            .toList();
    assertThat(blocked).isEmpty();
  }

  @Test
  void aWrongTokenIsRefusedOnTheSignInView() {
    browser.findElement(By.id("token")).sendKeys("not-the-token");
    browser.findElement(By.cssSelector("form.login button[type=submit]")).click();

    WebElement alert =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[role=alert]")));
    assertThat(alert.getText()).contains("UNAUTHORIZED", "The token was refused");
    assertThat(browser.findElements(By.id("token"))).hasSize(1);
    assertThat(storedToken()).isNull();
  }

  @Test
  void theGreeterLaunchedFromItsFormSucceedsWithItsLogAndResult() {
    signIn();
    WebElement greeter = card("greeter");
    assertThat(greeter.getText())
        .contains("Greets someone", "TASK", "version 1", "python script", "name (required)");
    screenshot("dashboard-catalog.png");
    greeter.findElement(By.cssSelector("details.spec summary")).click();
    wait.until(ExpectedConditions.textToBePresentInElement(greeter, "inputSchema"));

    greeter.findElement(By.linkText("Launch greeter")).click();
    WebElement name = wait.until(ExpectedConditions.elementToBeClickable(By.id("param-name")));
    assertThat(labelOf(name).getText()).contains("name", "(required)");
    assertThat(browser.findElement(By.id("param-name-hint")).getText()).contains("string");
    name.sendKeys("Ada");
    browser.findElement(By.cssSelector("form.launch button[type=submit]")).click();

    wait.until(ExpectedConditions.urlMatches("#/instances/[0-9a-f-]{36}$"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("state"), "SUCCEEDED"));
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("log-status"), "log is complete"));
    assertThat(browser.findElement(By.id("log")).getText())
        .contains("[in-memory runtime] parameters: name", "[in-memory runtime] done");
    assertThat(browser.findElement(By.id("result")).getText()).contains("\"name\": \"Ada\"");
    assertThat(browser.findElement(By.cssSelector(".panel-history")).getText())
        .contains("PENDING", "RUNNING", "SUCCEEDED");
    screenshot("dashboard-instance.png");
    assertThat(notReloaded()).as("the page was never reloaded").isTrue();
  }

  @Test
  void aLaunchThatBreaksTheSchemaShowsTheServersViolations() {
    signIn();
    browser.get(base + "/ui/#/launch/greeter");
    wait.until(ExpectedConditions.elementToBeClickable(By.id("param-name")));
    browser.findElement(By.cssSelector("form.launch button[type=submit]")).click();

    WebElement alert =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[role=alert]")));
    assertThat(alert.getText()).contains("VALIDATION_FAILED", "parameters/name", "is required");
  }

  @Test
  void theFormSendsEachKindOfParameterAsItsSchemaTypesIt() {
    signIn();
    card("typed").findElement(By.linkText("Launch typed")).click();
    WebElement times = wait.until(ExpectedConditions.elementToBeClickable(By.id("param-times")));
    assertThat(times.getAttribute("type")).isEqualTo("number");
    assertThat(times.getAttribute("aria-required")).isEqualTo("true");
    assertThat(browser.findElement(By.id("param-times-hint")).getText())
        .contains("integer", "How often");
    times.sendKeys("3");
    browser.findElement(By.id("param-ratio")).sendKeys("0.5");
    browser.findElement(By.id("param-loud")).click();
    new Select(browser.findElement(By.id("param-tone"))).selectByVisibleText("\"dry\"");
    browser.findElement(By.id("param-tags")).sendKeys("[\"a\", \"b\"]");
    // "note" is left empty: it is left out, not sent as "".
    browser.findElement(By.cssSelector("form.launch button[type=submit]")).click();

    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("state"), "SUCCEEDED"));
    String id = browser.getCurrentUrl().replaceAll(".*#/instances/", "");
    assertThat(client.get("/v1/instances/" + id).json().get("parameters").toString())
        .isEqualTo(
            "{\"loud\":true,\"ratio\":0.5,\"tags\":[\"a\",\"b\"],\"times\":3,\"tone\":\"dry\"}");
  }

  @Test
  void secretInputsTakenFromASecretAreSentByItsNameAndNeverAsValues() {
    signIn();
    browser.get(base + "/ui/#/launch/signer");
    WebElement reference = wait.until(ExpectedConditions.elementToBeClickable(By.id("secret-ref")));
    assertThat(labelOf(reference).getText()).contains("from a Secret");
    // A value and a reference at once: the server's refusal is shown, and nothing is launched.
    browser.findElement(By.id("secret-TOKEN")).sendKeys("typed-value");
    reference.sendKeys("signer-token");
    browser.findElement(By.cssSelector("form.launch button[type=submit]")).click();
    WebElement alert =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[role=alert]")));
    assertThat(alert.getText()).contains("VALIDATION_FAILED", "secretRef");

    browser.findElement(By.id("secret-TOKEN")).clear();
    browser.findElement(By.cssSelector("form.launch button[type=submit]")).click();

    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("state"), "SUCCEEDED"));
    assertThat(browser.findElement(By.id("secret-ref")).getText()).contains("signer-token");
    String id = browser.getCurrentUrl().replaceAll(".*#/instances/", "");
    var launched = client.get("/v1/instances/" + id).json();
    assertThat(launched.get("secretRef").get("name").asString()).isEqualTo("signer-token");
    assertThat(launched.toString()).doesNotContain("typed-value");
  }

  @Test
  void theInstancesListFollowsTheWatchWithoutPolling() {
    signIn();
    browser.findElement(By.linkText("Instances")).click();
    waitUntilSynced();
    new Select(browser.findElement(By.id("filter-tool"))).selectByVisibleText("greeter");
    wait.until(ExpectedConditions.urlContains("#/instances?tool=greeter"));
    waitUntilSynced();

    String greeted = launch("greeter", "{\"name\": \"Bob\"}");

    wait.until(ExpectedConditions.attributeToBe(row(greeted), "data-state", "SUCCEEDED"));
    assertThat(browser.findElements(By.cssSelector("tbody tr")))
        .allSatisfy(r -> assertThat(r.getText()).contains("greeter"));

    new Select(browser.findElement(By.id("filter-tool"))).selectByVisibleText("All tools");
    wait.until(ExpectedConditions.urlMatches("#/instances$"));
    waitUntilSynced();
    String failed = launch("flaky", "{}");
    String running = launch("sleeper", "{}");

    wait.until(ExpectedConditions.attributeToBe(row(failed), "data-state", "FAILED"));
    wait.until(ExpectedConditions.attributeToBe(row(running), "data-state", "RUNNING"));
    assertThat(browser.findElement(row(failed)).getText()).contains("EXITED_NON_ZERO");
    assertThat(browser.findElement(row(greeted)).getText()).contains("SUCCEEDED");
    screenshot("dashboard-instances.png");

    browser.findElement(row(running)).findElement(By.cssSelector("button.cancel")).click();

    wait.until(ExpectedConditions.attributeToBe(row(running), "data-state", "CANCELLED"));
    assertThat(notReloaded()).as("the page was never reloaded").isTrue();
  }

  @Test
  void aRunningTaskIsCancelledWithItsButton() {
    signIn();
    card("sleeper").findElement(By.linkText("Launch sleeper")).click();
    WebElement parameters =
        wait.until(ExpectedConditions.elementToBeClickable(By.id("parameters")));
    parameters.clear();
    parameters.sendKeys("{\"reason\": \"to be cancelled\"}");
    browser.findElement(By.cssSelector("form.launch button[type=submit]")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("state"), "RUNNING"));

    browser.findElement(By.cssSelector("button.cancel")).click();

    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("state"), "CANCELLED"));
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.cssSelector(".panel-failure"), "CANCELLED"));
    assertThat(browser.findElements(By.cssSelector("button.cancel"))).isEmpty();
    assertThat(browser.findElement(By.cssSelector(".panel-parameters")).getText())
        .contains("to be cancelled");
    assertThat(notReloaded()).as("the page was never reloaded").isTrue();
  }

  @Test
  void aServingServiceIsStoppedWithItsButton() {
    signIn();
    card("hello-service").findElement(By.linkText("Launch hello-service")).click();
    wait.until(ExpectedConditions.elementToBeClickable(By.id("parameters")));
    browser.findElement(By.cssSelector("form.launch button[type=submit]")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("state"), "SERVING"));
    assertThat(browser.findElements(By.cssSelector("button.cancel"))).isEmpty();

    browser.findElement(By.cssSelector("button.stop")).click();

    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("state"), "STOPPED"));
    assertThat(browser.findElements(By.cssSelector("button.stop"))).isEmpty();
    assertThat(browser.findElement(By.cssSelector(".panel-history")).getText())
        .contains("SERVING", "STOPPING", "STOPPED");
    assertThat(notReloaded()).as("the page was never reloaded").isTrue();
  }

  @Test
  void aLogCutMidRunResumesWithLastEventIdLosingAndRepeatingNoLine() throws IOException {
    try (CuttingProxy proxy = new CuttingProxy(base, 5)) {
      String id = launch("chatty", "{}");
      // Through the proxy, the page is of another origin: it signs in there, and is then sent on
      // to the instance it was asked for.
      browser.get(proxy.url() + "/ui/#/instances/" + id);
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token"))).sendKeys(TOKEN);
      browser.findElement(By.cssSelector("form.login button[type=submit]")).click();

      wait.until(
          ExpectedConditions.textToBePresentInElementLocated(
              By.id("log-status"), "log is complete (20 lines)"));
      assertThat(proxy.cuts()).as("the log stream was cut once").isEqualTo(1);
      List<String> numbers =
          browser.findElements(By.cssSelector("#log .line")).stream()
              .map(line -> line.getAttribute("data-line"))
              .toList();
      List<String> texts =
          browser.findElements(By.cssSelector("#log .line-text")).stream()
              .map(WebElement::getText)
              .toList();
      assertThat(numbers)
          .containsExactlyElementsOf(IntStream.range(0, 20).mapToObj(Integer::toString).toList());
      assertThat(texts).containsExactlyElementsOf(CHATTY_LINES);
    }
  }

  /** Signs in with the keyboard alone: the token, then Enter. */
  private static void signIn() {
    browser.findElement(By.id("token")).sendKeys(TOKEN, Keys.ENTER);
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Tool catalog"));
    assertThat(storedToken()).isEqualTo(TOKEN);
    markPage();
  }

  /** Until the list shows the watch's whole snapshot (its live line may already say more). */
  private static void waitUntilSynced() {
    wait.until(
        ExpectedConditions.attributeToBe(By.cssSelector("table.instances"), "data-synced", "true"));
  }

  private static By row(String id) {
    return By.cssSelector("tr[data-id='" + id + "']");
  }

  private static WebElement card(String tool) {
    return wait.until(
        ExpectedConditions.visibilityOfElementLocated(
            By.cssSelector("article[aria-labelledby='tool-" + tool + "']")));
  }

  private static WebElement labelOf(WebElement input) {
    return browser.findElement(By.cssSelector("label[for='" + input.getAttribute("id") + "']"));
  }

  private static String launch(String tool, String parameters) {
    ToolrunClient.Answer launched =
        client.post(
            "/v1/instances", "{\"tool\": \"" + tool + "\", \"parameters\": " + parameters + "}");
    assertThat(launched.status()).as(launched.body()).isEqualTo(201);
    return launched.json().get("id").asString();
  }

  private static String storedToken() {
    return (String)
        ((JavascriptExecutor) browser)
            .executeScript("return sessionStorage.getItem('toolrun.token')");
  }

  /** Marks the page's window: a reload would lose the mark. */
  private static void markPage() {
    ((JavascriptExecutor) browser).executeScript("window.toolrunTestMark = true");
  }

  private static boolean notReloaded() {
    return Boolean.TRUE.equals(
        ((JavascriptExecutor) browser).executeScript("return window.toolrunTestMark === true"));
  }

  private static void screenshot(String name) {
    try {
      Files.createDirectories(IMAGES);
      Files.write(
          IMAGES.resolve(name), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
