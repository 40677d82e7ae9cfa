package io.sluice.launcher.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.embedded.PostgresEndpoint;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.launcher.Sluice;
import io.sluice.launcher.local.LocalOptions;
import io.sluice.launcher.local.LocalPlatform;
import io.sluice.schemas.json.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code sluice batch} as a script runs it against {@code sluice local} (real Kafka, PostgreSQL,
 * simulator): the non-interactive output ({@code --json}, plain progress lines, the summary), the
 * files it downloads, cancel, list, and its errors and exit codes.
 */
class BatchCommandTest {
  @TempDir static Path dataDir;
  @TempDir Path work;
  private static PostgresEndpoint database;
  private static LocalPlatform platform;

  @BeforeAll
  static void startPlatform() {
    database = TestInfrastructure.newDatabase();
    platform =
        LocalPlatform.startOn(
            new LocalOptions(dataDir, 0, "unlimited", Duration.ofMillis(5), 4),
            database,
            TestInfrastructure.kafka(),
            TestInfrastructure.uniqueName("batchcli"));
  }

  @AfterAll
  static void stopPlatform() {
    platform.close();
    database.close();
  }

  /** One run of the CLI: its exit code and what it wrote. */
  private record Run(int exit, String out, String err) {
    JsonNode json() throws Exception {
      return Json.mapper().readTree(out);
    }
  }

  private Run sluice(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--url", platform.apiUrl().toString(), "--api-key", platform.devApiKey()));
    if (all.contains("submit")) {
      all.addAll(List.of("--poll-interval", "200ms"));
    }
    int exit =
        new CommandLine(new Sluice())
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  private Path file(String... lines) throws Exception {
    Path file = work.resolve("in-" + System.nanoTime() + ".jsonl");
    Files.writeString(file, String.join("\n", lines) + "\n");
    return file;
  }

  private static String line(String customId, String model, String prompt) {
    return """
        {"custom_id":"%s","method":"POST","url":"/v1/chat/completions",\
        "body":{"model":"%s","max_tokens":20,"messages":[{"role":"user","content":"%s"}]}}"""
        .formatted(customId, model, prompt);
  }

  @Test
  void shouldSubmitWaitAndPrintTheEndedBatchAsJsonThenFetchItsResultsAndErrors() throws Exception {
    Path input =
        file(
            line("a", "gpt-4o-mini", "reverse: abc"),
            line("b", "claude-haiku-4-5", "reverse: xyz"),
            line("c", "gemini-2.5-flash", "reverse: cli"),
            line("bad", "gpt-4o-mini", "#sim error=400\\nreverse: never"));

    Run submit = sluice("batch", "submit", input.toString(), "--window", "1h", "--wait", "--json");

    assertThat(submit.exit()).as(submit.err()).isZero();
    JsonNode batch = submit.json();
    assertThat(batch.get("status").asText()).isEqualTo("completed");
    assertThat(batch.at("/request_counts/total").asInt()).isEqualTo(4);
    assertThat(batch.at("/request_counts/completed").asInt()).isEqualTo(3);
    assertThat(batch.at("/request_counts/failed").asInt()).isEqualTo(1);
    assertThat(submit.err()).as("no progress bar in --json mode").doesNotContain("[#");
    String id = batch.get("id").asText();

    Path results = work.resolve("results.jsonl");
    Run fetched = sluice("batch", "results", id, "-o", results.toString());
    assertThat(fetched.exit()).as(fetched.err()).isZero();
    assertThat(fetched.err()).contains("wrote " + results);
    Map<String, String> outputs =
        Files.readAllLines(results).stream()
            .map(BatchCommandTest::read)
            .collect(
                Collectors.toMap(
                    l -> l.get("custom_id").asText(),
                    l -> l.at("/response/body/choices/0/message/content").asText()));
    assertThat(outputs)
        .containsExactlyInAnyOrderEntriesOf(Map.of("a", "cba", "b", "zyx", "c", "ilc"));

    Path errors = work.resolve("errors.jsonl");
    assertThat(sluice("batch", "errors", id, "-o", errors.toString()).exit()).isZero();
    assertThat(Files.readAllLines(errors))
        .singleElement()
        .satisfies(l -> assertThat(read(l).get("custom_id").asText()).isEqualTo("bad"));

    Run status = sluice("batch", "status", id);
    assertThat(status.exit()).isZero();
    assertThat(status.out())
        .contains(id + " completed: 4 of 4 requests done, 3 succeeded, 1 failed")
        .contains("results: sluice batch results " + id)
        .contains("errors:  sluice batch errors " + id);
    assertThat(sluice("batch", "list", "--json").json().get("data"))
        .extracting(b -> b.get("id").asText())
        .contains(id);
  }

  @Test
  void shouldShowPlainProgressLinesAndASummaryWhenNotOnATerminal() throws Exception {
    Path input =
        file(
            line("p1", "gpt-4o-mini", "reverse: plain"), line("p2", "gpt-4o-mini", "reverse: two"));

    Run run = sluice("batch", "submit", input.toString(), "--window", "2h", "--wait");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err().lines())
        .as("progress, one plain line at a time")
        .isNotEmpty()
        .allMatch(line -> line.matches("^[a-z_]+ +\\[[# ]{24}\\] .*"));
    assertThat(run.err())
        .doesNotContain("\r")
        .contains("completed   [########################] 2/2 100%");
    assertThat(run.out())
        .containsPattern("batch_\\S+ completed in \\d+m\\d\\ds: 2 of 2 requests done");
  }

  @Test
  void shouldEndOneWhenTheFileHasBadLinesNamingEachLine() throws Exception {
    Path input =
        file(
            line("x", "gpt-4o-mini", "reverse: ok"),
            "{not json",
            line("x", "gpt-4o-mini", "reverse: again"));

    Run run = sluice("batch", "submit", input.toString(), "--window", "1h", "--wait");

    assertThat(run.exit()).isEqualTo(BatchCommand.ENDED_BADLY);
    assertThat(run.out()).contains(" failed").contains("line 2: ").contains("line 3: ");
  }

  @Test
  void shouldCancelABatchMidRun() throws Exception {
    Path input =
        file(
            line("h1", "claude-haiku-4-5", "#sim hang=3000\\nreverse: slow"),
            line("h2", "claude-haiku-4-5", "#sim hang=3000\\nreverse: slow"));
    String id = sluice("batch", "submit", input.toString(), "--window", "1h").out().strip();

    Run cancel = sluice("batch", "cancel", id, "--json");

    assertThat(cancel.exit()).as(cancel.err()).isZero();
    assertThat(cancel.json().get("status").asText()).isIn("cancelling", "cancelled");
  }

  @Test
  void shouldRefuseWhatCannotWorkWithAClearMessageAndExitCode() {
    Run missing = sluice("batch", "submit", work.resolve("nope.jsonl").toString());
    assertThat(missing.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(missing.err()).contains("FILE.jsonl: cannot read");

    Run unknown = sluice("batch", "status", "batch_unknown");
    assertThat(unknown.exit()).isEqualTo(BatchCommand.REFUSED);
    assertThat(unknown.err()).startsWith("error: HTTP 404");

    Run notYet = sluice("batch", "list", "--limit", "0");
    assertThat(notYet.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(notYet.err()).contains("--limit");
  }

  private static JsonNode read(String line) {
    try {
      return Json.mapper().readTree(line);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
