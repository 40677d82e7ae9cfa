package io.sluice.launcher.batch;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.launcher.client.Connection;
import io.sluice.launcher.client.SluiceClient.ApiException;
import io.sluice.schemas.json.Json;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice batch}: bulk runs from a JSONL file of OpenAI batch lines ({@code custom_id},
 * {@code method}, {@code url}, {@code body}) over the job API's Files and Batches endpoints.
 */
@Command(
    name = "batch",
    mixinStandardHelpOptions = true,
    description = "Bulk runs: submit a JSONL file, follow it, fetch its results.",
    subcommands = {
      BatchCommand.Submit.class,
      BatchCommand.Status.class,
      BatchCommand.Results.class,
      BatchCommand.Errors.class,
      BatchCommand.Cancel.class,
      BatchCommand.ListBatches.class,
    },
    footer = {
      "",
      "Exit codes: 0 done (or, with --wait, completed); 1 the batch ended failed, expired or"
          + " cancelled; 2 a usage error; 3 the API refused the request or could not be reached."
    })
public final class BatchCommand implements Runnable {
  static final int ENDED_BADLY = 1;
  static final int REFUSED = 3;

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** What every subcommand shares: the connection, JSON output, error reporting. */
  abstract static class BatchSubcommand extends Connection implements Callable<Integer> {
    @Option(names = "--json", description = "Print the batch object as JSON, nothing else.")
    boolean json;

    @Spec CommandLine.Model.CommandSpec spec;
    PrintWriter out;
    PrintWriter err;

    @Override
    public final Integer call() {
      out = spec.commandLine().getOut();
      err = spec.commandLine().getErr();
      try (BatchApi api = new BatchApi(url(), apiKey())) {
        return run(api);
      } catch (ApiException e) {
        err.println("error: " + BatchErrors.describe(e));
        return REFUSED;
      } catch (java.io.UncheckedIOException e) {
        err.println("error: " + e.getMessage());
        return REFUSED;
      } catch (IllegalArgumentException e) {
        err.println("error: " + e.getMessage());
        return CommandLine.ExitCode.USAGE;
      } finally {
        out.flush();
        err.flush();
      }
    }

    abstract int run(BatchApi api);

    void printJson(JsonNode node) {
      try {
        out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** {@code sluice batch submit FILE.jsonl}: uploads the file and creates a batch of it. */
  @Command(
      name = "submit",
      mixinStandardHelpOptions = true,
      description = "Uploads a JSONL file and runs it as a batch.")
  static final class Submit extends BatchSubcommand {
    @Parameters(paramLabel = "FILE.jsonl", description = "One OpenAI batch request per line.")
    Path file;

    @Option(
        names = "--window",
        defaultValue = "24h",
        description =
            "Completion window: 24h runs on the providers' batch APIs at half price; a shorter"
                + " one (1h, 4h, ...) on realtime lanes (default: ${DEFAULT-VALUE}).")
    String window;

    @Option(names = "--metadata", description = "A key=value kept with the batch (repeatable).")
    Map<String, String> metadata = new LinkedHashMap<>();

    @Option(names = "--wait", description = "Follow the batch until it ends, with progress.")
    boolean await;

    @Option(
        names = "--poll-interval",
        defaultValue = "1s",
        description = "How often --wait reads the batch (default: ${DEFAULT-VALUE}).",
        converter = DurationConverter.class)
    Duration pollInterval;

    @Override
    int run(BatchApi api) {
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        throw new IllegalArgumentException("FILE.jsonl: cannot read " + file);
      }
      Instant start = Instant.now();
      JsonNode uploaded = api.upload(file);
      JsonNode batch = api.create(uploaded.path("id").asText(), window, metadata);
      if (!await) {
        if (json) {
          printJson(batch);
        } else {
          out.println(batch.path("id").asText());
          err.println(
              "created "
                  + batch.path("id").asText()
                  + " from "
                  + file
                  + "; follow it with: sluice batch status "
                  + batch.path("id").asText());
        }
        return 0;
      }
      BatchSnapshot last =
          BatchFollower.follow(
              api,
              BatchSnapshot.of(batch),
              pollInterval,
              new BatchProgress(
                  json ? new PrintWriter(Writer.nullWriter()) : err,
                  Terminal.interactive(),
                  Clock.systemUTC()));
      if (json) {
        printJson(api.batch(last.id()));
      } else {
        BatchSummary.print(out, last, Duration.between(start, Instant.now()));
      }
      return last.status().equals("completed") ? 0 : ENDED_BADLY;
    }
  }

  /** {@code sluice batch status ID}. */
  @Command(name = "status", mixinStandardHelpOptions = true, description = "Shows a batch.")
  static final class Status extends BatchSubcommand {
    @Parameters(paramLabel = "ID", description = "The batch ID.")
    String id;

    @Override
    int run(BatchApi api) {
      JsonNode batch = api.batch(id);
      if (json) {
        printJson(batch);
      } else {
        BatchSummary.print(out, BatchSnapshot.of(batch), null);
      }
      return 0;
    }
  }

  /** {@code sluice batch results ID -o FILE}: the output file. */
  @Command(
      name = "results",
      mixinStandardHelpOptions = true,
      description = "Downloads a batch's output file (one line per succeeded request).")
  static final class Results extends Download {
    Results() {
      super(true);
    }
  }

  /** {@code sluice batch errors ID -o FILE}: the error file. */
  @Command(
      name = "errors",
      mixinStandardHelpOptions = true,
      description = "Downloads a batch's error file (failed, cancelled and expired requests).")
  static final class Errors extends Download {
    Errors() {
      super(false);
    }
  }

  /** Fetches one of a batch's files, to a file or standard output. */
  abstract static class Download extends BatchSubcommand {
    private final boolean output;

    @Parameters(paramLabel = "ID", description = "The batch ID.")
    String id;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FILE",
        description = "Where to write it (default: standard output).")
    Path target;

    Download(boolean output) {
      this.output = output;
    }

    @Override
    int run(BatchApi api) {
      BatchSnapshot batch = BatchSnapshot.of(api.batch(id));
      var fileId = output ? batch.outputFileId() : batch.errorFileId();
      String what = output ? "output" : "error";
      if (fileId.isEmpty()) {
        err.println(
            batch.ended()
                ? "batch %s ended %s with no %s file".formatted(id, batch.status(), what)
                : "batch %s is %s: its %s file exists once it ends (sluice batch submit --wait, or"
                        .formatted(id, batch.status(), what)
                    + " sluice batch status "
                    + id
                    + ")");
        return batch.ended() ? 0 : ENDED_BADLY;
      }
      if (target == null) {
        out.flush();
        api.download(fileId.get(), System.out);
      } else {
        long bytes = api.download(fileId.get(), target);
        err.printf(Locale.ROOT, "wrote %s (%,d bytes)%n", target, bytes);
        err.flush();
      }
      return 0;
    }
  }

  /** {@code sluice batch cancel ID}. */
  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description =
          "Cancels a batch: requests not yet done end cancelled, finished ones stay in the output.")
  static final class Cancel extends BatchSubcommand {
    @Parameters(paramLabel = "ID", description = "The batch ID.")
    String id;

    @Override
    int run(BatchApi api) {
      JsonNode batch = api.cancel(id);
      if (json) {
        printJson(batch);
      } else {
        BatchSummary.print(out, BatchSnapshot.of(batch), null);
      }
      return 0;
    }
  }

  /** {@code sluice batch list}: the newest batches first. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists batches.")
  static final class ListBatches extends BatchSubcommand {
    @Option(
        names = "--limit",
        defaultValue = "20",
        description = "How many (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--after", description = "Continue after this batch ID.")
    String after;

    @Override
    int run(BatchApi api) {
      if (limit < 1 || limit > 100) {
        throw new IllegalArgumentException("--limit: between 1 and 100");
      }
      JsonNode page = api.list(limit, after);
      if (json) {
        printJson(page);
        return 0;
      }
      out.printf(
          Locale.ROOT, "%-40s %-11s %12s %10s %8s%n", "ID", "STATUS", "DONE", "TOTAL", "FAILED");
      for (JsonNode item : page.path("data")) {
        BatchSnapshot batch = BatchSnapshot.of(item);
        out.printf(
            Locale.ROOT,
            "%-40s %-11s %,12d %,10d %,8d%n",
            batch.id(),
            batch.status(),
            batch.done(),
            batch.total(),
            batch.failed());
      }
      if (page.path("has_more").asBoolean()) {
        out.println("more: sluice batch list --after " + page.path("last_id").asText());
      }
      return 0;
    }
  }

  /** Reads {@code 500ms}, {@code 2s}, {@code 1m}. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      var matcher = java.util.regex.Pattern.compile("(\\d+)(ms|s|m)").matcher(value.strip());
      if (!matcher.matches()) {
        throw new CommandLine.TypeConversionException("expected e.g. 500ms, 2s, 1m: " + value);
      }
      long amount = Long.parseLong(matcher.group(1));
      return switch (matcher.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        default -> Duration.ofMinutes(amount);
      };
    }
  }
}
