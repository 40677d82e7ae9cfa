package io.sluice.launcher.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.schemas.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Client commands against a running job API ({@code SLUICE_URL}, {@code SLUICE_API_KEY}). */
public final class ClientCommands {
  private ClientCommands() {}

  /** {@code sluice submit}: one completion job. */
  @Command(name = "submit", mixinStandardHelpOptions = true, description = "Submits a job.")
  public static final class Submit extends Connection implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Model or alias.")
    String model;

    @Option(names = "--prompt", required = true, description = "The user message.")
    String prompt;

    @Option(
        names = "--priority",
        defaultValue = "standard",
        description = "interactive, standard, bulk.")
    String priority;

    @Option(names = "--max-tokens", description = "Most output tokens.")
    Integer maxTokens;

    @Override
    public Integer call() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("model", model);
      body.put("messages", List.of(Map.of("role", "user", "content", prompt)));
      body.put("priority", priority);
      if (maxTokens != null) {
        body.put("max_tokens", maxTokens);
      }
      try (SluiceClient client = client()) {
        print(client.submit(body));
      }
      return 0;
    }
  }

  /** {@code sluice status ID}: a job's status and result. */
  @Command(name = "status", mixinStandardHelpOptions = true, description = "Shows a job.")
  public static final class Status extends Connection implements Callable<Integer> {
    @Parameters(description = "The job ID.")
    String id;

    @Override
    public Integer call() {
      try (SluiceClient client = client()) {
        print(client.job(id));
      }
      return 0;
    }
  }

  private static void print(JsonNode json) {
    try {
      System.out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
