package io.sluice.launcher.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FilePurpose;
import com.sun.net.httpserver.HttpServer;
import io.sluice.embedded.PostgresEndpoint;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.launcher.client.SluiceClient;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard page ({@code /ui}) in a real headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}, which {@code run-tests} installs when missing) against a running {@code
 * sluice local} with rate limits: jobs that succeed and fail, a bulk batch, a webhook endpoint that
 * receives their events; the page, given the development key (an operator's), shows those figures,
 * and the browser's console has no error. The screenshot is kept as {@code
 * target/ui-screenshot.png}.
 */
class DashboardBrowserTest {
  private static final int SUCCEEDING = 5;
  private static final int FAILING = 2;
  private static final int BATCH_LINES = 3;
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Path SCREENSHOT = Path.of("target", "ui-screenshot.png");

  @TempDir static Path dataDir;
  private static PostgresEndpoint database;
  private static LocalPlatform platform;
  private static SluiceClient client;
  private static HttpServer receiver;
  private static WebDriver browser;

  @BeforeAll
  static void startPlatformAndBrowser() throws IOException {
    database = TestInfrastructure.newDatabase();
    platform =
        LocalPlatform.startOn(
            new LocalOptions(dataDir, 0, "openai-tier1", Duration.ofMillis(5), 4),
            database,
            TestInfrastructure.kafka(),
            TestInfrastructure.uniqueName("ui"));
    client = new SluiceClient(platform.apiUrl(), platform.devApiKey());
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hooks",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    browser = chromium();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (receiver != null) {
      receiver.stop(0);
    }
    client.close();
    platform.close();
    database.close();
  }

  /** Debian's Chromium through its chromedriver: never a browser or driver fetched at run time. */
  private static WebDriver chromium() {
    File driver =
        executable("chromedriver")
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "chromedriver is not on the PATH: install Debian's chromium and"
                            + " chromium-driver (run-tests does it with apt-get)"));
    ChromeOptions options = new ChromeOptions();
    executable("chromium").ifPresent(options::setBinary);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1400,1250");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(driver).usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  private static Optional<File> executable(String name) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .map(dir -> new File(dir, name))
        .filter(File::canExecute)
        .findFirst();
  }

  private static String submit(String prompt) {
    return client
        .submit(
            Map.of(
                "model",
                "gpt-4o-mini",
                "messages",
                List.of(Map.of("role", "user", "content", prompt))))
        .get("id")
        .asText();
  }

  @Test
  void shouldShowTheLiveFiguresOfTheJobsRunAndNoConsoleError() throws IOException {
    client.createWebhookEndpoint(
        URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks"), "ui test");
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < SUCCEEDING; i++) {
      jobs.add(submit("reverse: dashboard " + i));
    }
    List<String> failing = new ArrayList<>();
    for (int i = 0; i < FAILING; i++) {
      failing.add(submit("#sim error=400\nreverse: refused " + i));
    }
    jobs.addAll(failing);
    String batchId = submitBatch();
    for (String id : jobs) {
      assertThat(client.job(id, WAIT).get("status").asText()).isIn("succeeded", "failed");
    }
    JsonNode failed = client.job(failing.getFirst());
    assertThat(failed.get("status").asText()).isEqualTo("failed");
    String errorCode = failed.at("/error/code").asText();

    browser.get(platform.apiUrl().resolve("/ui").toString());
    WebDriverWait wait = new WebDriverWait(browser, WAIT);
    signIn("sk_wrong_" + "x".repeat(32));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "(401)"));
    assertThat(browser.findElement(By.id("panels")).isDisplayed()).isFalse();
    assertThat(severe())
        .as("the refused key's 401 is the only error")
        .allSatisfy(line -> assertThat(line).contains("401"));

    signIn(platform.devApiKey());
    wait.until(d -> figure("count-succeeded") >= SUCCEEDING && figure("count-failed") >= FAILING);
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.cssSelector("#failures tbody"), failing.getFirst()));
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.cssSelector("#lanes tbody"), "standard"));
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.cssSelector("#limits tbody"), "openai / gpt-4o-mini"));
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.cssSelector("#webhooks tbody"), "healthy"));
    // the batch's status follows its last line's end (job-api closes the batch after the line's
    // event), so the page may show every line done one refresh before it shows the batch completed
    wait.until(
        d -> {
          String batches = text("batches");
          return batches.contains(BATCH_LINES + " / " + BATCH_LINES)
              && batches.contains("completed");
        });

    assertThat(figure("count-submitted")).isGreaterThanOrEqualTo(SUCCEEDING + FAILING);
    assertThat(text("scope")).isEqualTo("all tenants (operator key)");
    WebElement failure = failureRow(failing.getFirst());
    assertThat(failure.getText()).contains("failed", errorCode, "gpt-4o-mini");
    assertThat(text("batches")).contains(batchId, "completed");
    assertThat(text("limits")).contains("requests per 60 s", "tokens per 60 s");
    assertThat(browser.findElements(By.cssSelector("#per-minute rect"))).isNotEmpty();
    assertThat(browser.findElement(By.cssSelector("#lanes .note")).isDisplayed()).isFalse();
    Files.createDirectories(SCREENSHOT.getParent());
    Files.write(SCREENSHOT, ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
    assertThat(severe()).as("errors in the browser's console").isEmpty();
  }

  /** A bulk batch of a few lines through the OpenAI SDK, as a nightly run would send it. */
  private static String submitBatch() {
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < BATCH_LINES; i++) {
      lines
          .append("{\"custom_id\":\"line-")
          .append(i)
          .append("\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":")
          .append("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",")
          .append("\"content\":\"reverse: line ")
          .append(i)
          .append("\"}]}}\n");
    }
    OpenAIClient openai =
        OpenAIOkHttpClient.builder()
            .baseUrl(platform.apiUrl() + "/v1")
            .apiKey(platform.devApiKey())
            .maxRetries(0)
            .build();
    try {
      String fileId =
          openai
              .files()
              .create(
                  FileCreateParams.builder()
                      .file(lines.toString().getBytes(StandardCharsets.UTF_8))
                      .purpose(FilePurpose.BATCH)
                      .build())
              .id();
      return openai
          .batches()
          .create(
              BatchCreateParams.builder()
                  .inputFileId(fileId)
                  .endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS)
                  .completionWindow(BatchCreateParams.CompletionWindow.of("1h"))
                  .build())
          .id();
    } finally {
      openai.close();
    }
  }

  private static void signIn(String key) {
    WebElement input = browser.findElement(By.id("api-key"));
    input.clear();
    input.sendKeys(key);
    browser.findElement(By.id("connect")).click();
  }

  private static long figure(String id) {
    String shown = text(id).replace(",", "");
    return shown.matches("\\d+") ? Long.parseLong(shown) : -1;
  }

  private static String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  private static WebElement failureRow(String jobId) {
    return browser.findElements(By.cssSelector("#failures tbody tr")).stream()
        .filter(row -> row.getText().contains(jobId))
        .findFirst()
        .orElseThrow();
  }

  /** The console's errors since the last call. */
  private static List<String> severe() {
    return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .toList();
  }
}
