package io.sluice.jobapi;

import static io.sluice.jobapi.JobApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/jobs} on real PostgreSQL: filters, newest-first cursor pagination that holds while
 * jobs arrive, tenant isolation, and a 400 naming the parameter for every bad one.
 */
class JobListHttpTest {
  private static JobApiFixture fixture;

  @BeforeAll
  static void startApi() {
    fixture = JobApiFixture.start();
  }

  @AfterAll
  static void stopApi() {
    fixture.close();
  }

  private static String body(String model, String priority, String order) {
    return "{\"model\":\""
        + model
        + "\",\"priority\":\""
        + priority
        + "\",\"metadata\":{\"order\":\""
        + order
        + "\",\"team\":\"search\"},"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"reverse: abc\"}]}";
  }

  private static String submit(JobApiFixture.Client client, String body) {
    HttpResponse<String> response = client.submit(body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return json(response).get("id").asText();
  }

  /** Submits n standard jobs; their IDs, oldest first. */
  private static List<String> submitMany(JobApiFixture.Client client, int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> submit(client, body("gpt-4o-mini", "standard", "o" + i)))
        .toList();
  }

  private static HttpResponse<String> list(JobApiFixture.Client client, String query) {
    return JobApiFixture.send(
        HttpRequest.newBuilder(fixture.url("/v1/jobs" + (query.isEmpty() ? "" : "?" + query)))
            .header("Authorization", "Bearer " + client.key)
            .GET());
  }

  private static JsonNode listOk(JobApiFixture.Client client, String query) {
    HttpResponse<String> response = list(client, query);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  private static List<String> ids(JsonNode page) {
    return StreamSupport.stream(page.get("data").spliterator(), false)
        .map(job -> job.get("id").asText())
        .toList();
  }

  private static List<String> newestFirst(List<String> oldestFirst) {
    return new ArrayList<>(oldestFirst).reversed();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** Every page from the first, following next_cursor. */
  private static List<String> allPages(JobApiFixture.Client client, String filters, int limit) {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      String query =
          filters
              + (filters.isEmpty() ? "" : "&")
              + "limit="
              + limit
              + (cursor == null ? "" : "&after=" + encode(cursor));
      JsonNode page = listOk(client, query);
      seen.addAll(ids(page));
      assertThat(page.get("data").size()).isLessThanOrEqualTo(limit);
      cursor = page.get("has_more").asBoolean() ? page.get("next_cursor").asText() : null;
      if (cursor == null) {
        assertThat(page.get("next_cursor").isNull()).isTrue();
      }
    } while (cursor != null);
    return seen;
  }

  @Test
  void shouldListTheCallersJobsNewestFirstAsGetShowsThem() {
    JobApiFixture.Client client = fixture.newClient();
    List<String> jobs = submitMany(client, 3);

    JsonNode page = listOk(client, "");

    assertThat(ids(page)).containsExactlyElementsOf(newestFirst(jobs));
    assertThat(page.get("has_more").asBoolean()).isFalse();
    assertThat(page.has("next_cursor")).isTrue();
    JsonNode first = page.get("data").get(0);
    assertThat(first).isEqualTo(json(client.get(first.get("id").asText())));
  }

  @Test
  void shouldGiveTwentyJobsByDefaultAndWalkEveryPageOnceWithTheCursor() {
    JobApiFixture.Client client = fixture.newClient();
    List<String> jobs = submitMany(client, 25);

    JsonNode first = listOk(client, "");
    assertThat(ids(first)).hasSize(20);
    assertThat(first.get("has_more").asBoolean()).isTrue();
    assertThat(allPages(client, "", 7)).containsExactlyElementsOf(newestFirst(jobs));
    assertThat(allPages(client, "", 100)).containsExactlyElementsOf(newestFirst(jobs));
  }

  @Test
  void shouldContinueAPageExactlyWhereItEndedWhileNewJobsArrive() {
    JobApiFixture.Client client = fixture.newClient();
    List<String> before = newestFirst(submitMany(client, 10));
    JsonNode first = listOk(client, "limit=4");
    assertThat(ids(first)).containsExactlyElementsOf(before.subList(0, 4));

    List<String> arrived = submitMany(client, 5);
    JsonNode second = listOk(client, "limit=4&after=" + encode(first.get("next_cursor").asText()));
    submitMany(client, 2);
    JsonNode third = listOk(client, "limit=4&after=" + encode(second.get("next_cursor").asText()));

    assertThat(ids(second)).containsExactlyElementsOf(before.subList(4, 8));
    assertThat(ids(third)).containsExactlyElementsOf(before.subList(8, 10));
    assertThat(third.get("has_more").asBoolean()).isFalse();
    List<String> restarted = ids(listOk(client, "limit=100"));
    assertThat(restarted).hasSize(17).containsSubsequence(newestFirst(arrived));
  }

  @Test
  void shouldOrderJobsCreatedInTheSameMicrosecondByIdWithoutSkippingAny() {
    JobApiFixture.Client client = fixture.newClient();
    List<String> jobs = submitMany(client, 6);
    fixture.execute(
        "UPDATE jobs SET created_at = '2026-01-01T00:00:00Z' WHERE tenant_id = '"
            + client.tenant.id()
            + "'");

    List<String> listed = allPages(client, "", 1);

    assertThat(listed).containsExactlyElementsOf(jobs.stream().sorted().toList().reversed());
  }

  @Test
  void shouldFilterByStatusPriorityModelMetadataAndCreatedRange() {
    JobApiFixture.Client client = fixture.newClient();
    String interactive = submit(client, body("gpt-4o-mini", "interactive", "1"));
    String bulk = submit(client, body("gpt-4o-mini", "bulk", "2"));
    String otherModel = submit(client, body("claude-haiku-4-5", "standard", "3"));
    String running = submit(client, body("gpt-4o-mini", "standard", "4"));
    fixture.execute("UPDATE jobs SET status = 'running' WHERE id = '" + running + "'");
    Instant bulkCreated = Instant.parse(json(client.get(bulk)).get("created_at").asText());
    Instant otherCreated = Instant.parse(json(client.get(otherModel)).get("created_at").asText());

    assertThat(ids(listOk(client, "status=running"))).containsExactly(running);
    assertThat(ids(listOk(client, "status=queued"))).containsExactly(otherModel, bulk, interactive);
    assertThat(ids(listOk(client, "priority=interactive"))).containsExactly(interactive);
    assertThat(ids(listOk(client, "model=claude-haiku-4-5"))).containsExactly(otherModel);
    assertThat(ids(listOk(client, encode("metadata[order]") + "=2"))).containsExactly(bulk);
    assertThat(
            ids(
                listOk(
                    client,
                    encode("metadata[order]") + "=3&" + encode("metadata[team]") + "=search")))
        .containsExactly(otherModel);
    assertThat(
            ids(
                listOk(
                    client, encode("metadata[order]") + "=3&" + encode("metadata[team]") + "=ads")))
        .isEmpty();
    assertThat(ids(listOk(client, "priority=bulk&status=running"))).isEmpty();
    assertThat(
            ids(
                listOk(
                    client,
                    "created_after="
                        + encode(bulkCreated.toString())
                        + "&created_before="
                        + encode(otherCreated.plusNanos(1000).toString()))))
        .containsExactly(otherModel);
    assertThat(allPages(client, "status=queued", 1)).containsExactly(otherModel, bulk, interactive);
  }

  @Test
  void shouldNeverListAnotherTenantsJobs() {
    JobApiFixture.Client mine = fixture.newClient();
    JobApiFixture.Client theirs = fixture.newClient();
    List<String> myJobs = submitMany(mine, 3);
    List<String> theirJobs = submitMany(theirs, 3);
    String theirCursor = listOk(theirs, "limit=1").get("next_cursor").asText();

    assertThat(allPages(mine, "", 2)).containsExactlyElementsOf(newestFirst(myJobs));
    assertThat(ids(listOk(mine, "limit=100&after=" + encode(theirCursor))))
        .doesNotContainAnyElementsOf(theirJobs);
    assertThat(ids(listOk(mine, encode("metadata[team]") + "=search")))
        .containsExactlyInAnyOrderElementsOf(myJobs);
  }

  @Test
  void shouldAnswer400NamingEachBadParameter() {
    JobApiFixture.Client client = fixture.newClient();
    submitMany(client, 1);

    assertBadParameter(client, "colour=red", "colour");
    assertBadParameter(client, "after=bm90LWEtY3Vyc29y", "after");
    assertBadParameter(client, "after=%25%25", "after");
    assertBadParameter(client, "limit=0", "limit");
    assertBadParameter(client, "limit=-5", "limit");
    assertBadParameter(client, "limit=101", "limit");
    assertBadParameter(client, "limit=ten", "limit");
    assertBadParameter(client, "limit=5&limit=6", "limit");
    assertBadParameter(client, "status=done", "status");
    assertBadParameter(client, "status=QUEUED", "status");
    assertBadParameter(client, "priority=urgent", "priority");
    assertBadParameter(client, "created_after=yesterday", "created_after");
    assertBadParameter(client, "created_before=2026-01-01T00:00:00", "created_before");
    assertBadParameter(client, "created_after=%2B999999999-12-31T23:59:59Z", "created_after");
    assertBadParameter(client, "created_before=-0001-01-01T00:00:00Z", "created_before");
    assertBadParameter(
        client,
        "after="
            + java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                    ("v1:" + Long.MIN_VALUE + ":job_0190d2f0e5a07c3b8a1f2e3d4c5b6a79").getBytes()),
        "after");
    assertBadParameter(client, "model=", "model");
    assertBadParameter(client, "model=%00", "model");
    assertBadParameter(client, encode("metadata[]") + "=x", "metadata[]");
    assertBadParameter(client, encode("metadata[k]") + "=%00", "metadata[k]");
    JsonNode several = json(list(client, "limit=0&status=done&wait=5s"));
    assertThat(several.at("/error/fields").findValuesAsText("field"))
        .containsExactlyInAnyOrder("limit", "status", "wait");
  }

  @Test
  void shouldRefuseAListWithoutAValidKey() {
    HttpResponse<String> response =
        JobApiFixture.send(HttpRequest.newBuilder(fixture.url("/v1/jobs")).GET());
    assertThat(response.statusCode()).isEqualTo(401);
  }

  private static void assertBadParameter(JobApiFixture.Client client, String query, String field) {
    HttpResponse<String> response = list(client, query);
    assertThat(response.statusCode()).as(query + " → " + response.body()).isEqualTo(400);
    JsonNode error = json(response).get("error");
    assertThat(error.get("type").asText()).isEqualTo("invalid_request");
    assertThat(error.get("fields").findValuesAsText("field")).as(query).containsExactly(field);
  }
}
