package io.sluice.jobapi;

import static io.sluice.jobapi.JobApiFixture.VALID_BODY;
import static io.sluice.jobapi.WebhookFixture.data;
import static io.sluice.jobapi.WebhookFixture.finish;
import static io.sluice.jobapi.WebhookFixture.submit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.sluice.jobapi.WebhookFixture.SubmittedJob;
import io.sluice.jobapi.budget.TokenBudget;
import io.sluice.jobapi.http.internal.JobController;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.json.Json;
import io.swagger.v3.core.util.Yaml;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The served OpenAPI document ({@code GET /openapi.yaml}) against the code: it is a valid OpenAPI
 * 3.1 document to the swagger-parser (someone else's implementation), it names every route of the
 * controllers and no other, and real answers of every endpoint, errors included, validate against
 * the schema it documents for their status (networknt's JSON Schema 2020-12 validator).
 */
class OpenApiContractTest {
  private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static JobApiFixture fixture;
  private static String yaml;
  private static JsonNode document;
  private static final SchemaRegistry SCHEMAS =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private final List<String> checked = new ArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    fixture = JobApiFixture.start(s -> s.webhooks(WebhookFixture.local()));
    HttpResponse<String> served =
        JobApiFixture.send(HttpRequest.newBuilder(fixture.url("/openapi.yaml")).GET());
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/yaml"));
    yaml = served.body();
    document = Yaml.mapper().readTree(yaml);
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void shouldServeADocumentTheSwaggerParserFindsValidOpenApi31() {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);

    SwaggerParseResult result = new OpenAPIV3Parser().readContents(yaml, null, options);

    assertThat(result.getMessages()).isEmpty();
    assertThat(result.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
    assertThat(result.getOpenAPI().getPaths()).isNotEmpty();
  }

  @Test
  void shouldDocumentEveryRouteOfTheControllersAndNoOther() throws Exception {
    Set<String> routes = new TreeSet<>();
    for (Class<?> controller : controllers()) {
      String base = controller.getAnnotation(Controller.class).value();
      for (Method method : controller.getDeclaredMethods()) {
        route(method).ifPresent(r -> routes.add(r.method() + " " + normalise(join(base, r.uri()))));
      }
    }
    routes.remove("get /openapi.yaml");
    Set<String> documented = new TreeSet<>();
    operations().forEach(o -> documented.add(o.method() + " " + normalise(o.uri())));

    assertThat(routes).as("the controllers' routes").isNotEmpty();
    assertThat(documented).isEqualTo(routes);
  }

  @Test
  void shouldAnswerAsTheDocumentSaysOnEveryEndpoint() {
    JobApiFixture.Client client = fixture.newClient();
    JobApiFixture.Client other = fixture.newClient();

    // jobs
    HttpResponse<String> created =
        call(client, "POST", "/v1/jobs", VALID_BODY, "Idempotency-Key", "k-1");
    check("post", "/v1/jobs", created, 202);
    check(
        "post",
        "/v1/jobs",
        call(client, "POST", "/v1/jobs", VALID_BODY, "Idempotency-Key", "k-1"),
        200);
    check("post", "/v1/jobs", call(client, "POST", "/v1/jobs", "{\"model\":\"\"}"), 400);
    check("post", "/v1/jobs", call(client, "POST", "/v1/jobs", "{not json"), 400);
    check(
        "post",
        "/v1/jobs",
        call(
            client,
            "POST",
            "/v1/jobs",
            VALID_BODY.replace("}]}", "}],\"response_schema\":{\"type\":\"objekt\"}}")),
        400);
    check(
        "post",
        "/v1/jobs",
        call(client, "POST", "/v1/jobs", VALID_BODY.replace("}]}", "}],\"max_repairs\":6}")),
        400);
    check(
        "post",
        "/v1/jobs",
        call(
            client,
            "POST",
            "/v1/jobs",
            VALID_BODY.replace(
                "}]}", "}],\"response_schema\":{\"type\":\"object\"},\"max_repairs\":5}")),
        202);
    check(
        "post",
        "/v1/jobs",
        call(
            client,
            "POST",
            "/v1/jobs",
            VALID_BODY.replace("}]}", "}],\"metadata\":{\"other\":\"body\"}}"),
            "Idempotency-Key",
            "k-1"),
        422);
    check("post", "/v1/jobs", call(null, "POST", "/v1/jobs", VALID_BODY), 401);
    check(
        "post",
        "/v1/jobs",
        call(client, "POST", "/v1/jobs", VALID_BODY.replace("}]}", "}],\"max_cost_usd\":0}")),
        400);
    check(
        "post",
        "/v1/jobs",
        call(
            client,
            "POST",
            "/v1/jobs",
            VALID_BODY.replace("}]}", "}],\"max_cost_usd\":0.0000001}")),
        422);
    JobApiFixture.Client budgeted = fixture.newClient();
    fixture.api.budgets().setBudget(budgeted.tenant.id(), new TokenBudget(10L, null));
    check("post", "/v1/jobs", call(budgeted, "POST", "/v1/jobs", VALID_BODY), 429);
    String jobId = JobApiFixture.json(created).get("id").asText();
    check("get", "/v1/jobs/{id}", call(client, "GET", "/v1/jobs/" + jobId, null), 200);
    check("get", "/v1/jobs/{id}", call(other, "GET", "/v1/jobs/" + jobId, null), 404);

    // usage
    check("get", "/v1/usage", call(client, "GET", "/v1/usage", null), 200);
    check("get", "/v1/usage", call(client, "GET", "/v1/usage?group_by=", null), 200);
    check("get", "/v1/usage", call(client, "GET", "/v1/usage?from=someday", null), 400);
    check("get", "/v1/usage", call(null, "GET", "/v1/usage", null), 401);
    check(
        "get", "/v1/jobs/{id}", call(client, "GET", "/v1/jobs/" + jobId + "?wait=10ms", null), 200);
    check("get", "/v1/jobs/{id}", call(client, "GET", "/v1/jobs/" + jobId + "?wait=1h", null), 400);
    check("get", "/v1/jobs", call(client, "GET", "/v1/jobs?limit=1", null), 200);
    check("get", "/v1/dashboard", call(client, "GET", "/v1/dashboard", null), 200);
    check("get", "/v1/dashboard", call(null, "GET", "/v1/dashboard", null), 401);
    check("get", "/ui/{file}", call(null, "GET", "/ui/nothing.js", null), 404);
    check(
        "get",
        "/v1/jobs",
        call(client, "GET", "/v1/jobs?status=queued&model=gpt-4o-mini", null),
        200);
    check("get", "/v1/jobs", call(client, "GET", "/v1/jobs?colour=red", null), 400);
    check("get", "/v1/jobs", call(client, "GET", "/v1/jobs?after=not-a-cursor", null), 400);
    check(
        "post",
        "/v1/jobs/{id}/cancel",
        call(client, "POST", "/v1/jobs/" + jobId + "/cancel", null),
        202);
    check("post", "/v1/jobs/{id}/cancel", call(client, "POST", "/v1/jobs/nope/cancel", null), 404);
    SubmittedJob finished = submit(client, VALID_BODY);
    finish(fixture, finished, JobStatus.SUCCEEDED);
    await().atMost(WAIT).until(() -> status(client, finished.id()).equals("succeeded"));
    check("get", "/v1/jobs/{id}", call(client, "GET", "/v1/jobs/" + finished.id(), null), 200);
    check(
        "post",
        "/v1/jobs/{id}/cancel",
        call(client, "POST", "/v1/jobs/" + finished.id() + "/cancel", null),
        409);
    SubmittedJob cancelled = submit(client, VALID_BODY);
    finish(fixture, cancelled, JobStatus.CANCELLED);
    await().atMost(WAIT).until(() -> status(client, cancelled.id()).equals("cancelled"));
    check(
        "post",
        "/v1/jobs/{id}/cancel",
        call(client, "POST", "/v1/jobs/" + cancelled.id() + "/cancel", null),
        200);

    // webhooks
    try (WebhookReceiver receiver = WebhookReceiver.start()) {
      check(
          "post",
          "/v1/webhook-endpoints",
          call(client, "POST", "/v1/webhook-endpoints", "{\"url\":\"ftp://x\"}"),
          400);
      HttpResponse<String> endpoint =
          call(
              client,
              "POST",
              "/v1/webhook-endpoints",
              "{\"url\":\"" + receiver.url() + "\",\"description\":\"contract\"}");
      check("post", "/v1/webhook-endpoints", endpoint, 201);
      String id = JobApiFixture.json(endpoint).get("id").asText();
      String base = "/v1/webhook-endpoints/" + id;
      check(
          "get", "/v1/webhook-endpoints", call(client, "GET", "/v1/webhook-endpoints", null), 200);
      check("get", "/v1/webhook-endpoints/{id}", call(client, "GET", base, null), 200);
      check("get", "/v1/webhook-endpoints/{id}", call(other, "GET", base, null), 404);
      check(
          "patch",
          "/v1/webhook-endpoints/{id}",
          call(client, "PATCH", base, "{\"description\":\"changed\"}"),
          200);
      check(
          "patch",
          "/v1/webhook-endpoints/{id}",
          call(client, "PATCH", base, "{\"enabled\":\"yes\"}"),
          400);
      check(
          "post",
          "/v1/webhook-endpoints/{id}/rotate-secret",
          call(client, "POST", base + "/rotate-secret", null),
          200);
      check("post", "/v1/webhook-secret", call(client, "POST", "/v1/webhook-secret", null), 200);
      String withHook =
          VALID_BODY.replace("}]}", "}],\"webhook\":{\"url\":\"" + receiver.url() + "\"}}");
      SubmittedJob delivered = submit(client, withHook);
      finish(fixture, delivered, JobStatus.SUCCEEDED);
      await().atMost(WAIT).until(() -> receiver.accepted().size() == 2);
      await()
          .atMost(WAIT)
          .until(
              () ->
                  data(
                          call(
                              client,
                              "GET",
                              "/v1/jobs/" + delivered.id() + "/webhook-deliveries",
                              null))
                      .stream()
                      .allMatch(d -> d.get("status").asText().equals("succeeded")));
      check(
          "get",
          "/v1/webhook-endpoints/{id}/deliveries",
          call(client, "GET", base + "/deliveries?limit=10", null),
          200);
      check(
          "get",
          "/v1/webhook-endpoints/{id}/deliveries",
          call(client, "GET", base + "/deliveries?limit=-1", null),
          400);
      String deliveryId =
          data(call(client, "GET", base + "/deliveries", null)).getFirst().get("id").asText();
      String delivery = base + "/deliveries/" + deliveryId;
      check(
          "get",
          "/v1/webhook-endpoints/{id}/deliveries/{deliveryId}/attempts",
          call(client, "GET", delivery + "/attempts", null),
          200);
      check(
          "post",
          "/v1/webhook-endpoints/{id}/deliveries/{deliveryId}/replay",
          call(client, "POST", delivery + "/replay", null),
          202);
      check(
          "post",
          "/v1/webhook-endpoints/{id}/replay",
          call(client, "POST", base + "/replay?since=2020-01-01T00:00:00Z", null),
          202);
      check(
          "post",
          "/v1/webhook-endpoints/{id}/replay",
          call(client, "POST", base + "/replay?since=yesterday", null),
          400);
      HttpResponse<String> ofJob =
          call(client, "GET", "/v1/jobs/" + delivered.id() + "/webhook-deliveries", null);
      check("get", "/v1/jobs/{jobId}/webhook-deliveries", ofJob, 200);
      String oneOff =
          data(ofJob).stream()
              .filter(d -> d.has("url"))
              .findFirst()
              .orElseThrow()
              .get("id")
              .asText();
      check(
          "get",
          "/v1/webhook-deliveries/{deliveryId}/attempts",
          call(client, "GET", "/v1/webhook-deliveries/" + oneOff + "/attempts", null),
          200);
      check(
          "post",
          "/v1/webhook-deliveries/{deliveryId}/replay",
          call(client, "POST", "/v1/webhook-deliveries/" + oneOff + "/replay", null),
          202);
      check(
          "post",
          "/v1/webhook-deliveries/{deliveryId}/replay",
          call(other, "POST", "/v1/webhook-deliveries/" + oneOff + "/replay", null),
          404);
      check("delete", "/v1/webhook-endpoints/{id}", call(client, "DELETE", base, null), 204);
    }
    assertThat(checked).as("answers checked against the document").hasSizeGreaterThan(30);
  }

  @Test
  void shouldListEveryDocumentedOperationOnTheReferencePage() throws IOException {
    String page = Files.readString(Path.of("..", "docs", "api.md"));
    List<String> operations =
        operations().stream()
            .map(o -> "`" + o.method().toUpperCase() + " " + o.uri() + "`")
            .toList();

    assertThat(operations)
        .isNotEmpty()
        .allSatisfy(operation -> assertThat(page).contains(operation));
  }

  @Test
  void shouldRefuseABodyThatDiffersFromTheDocumentedSchema() {
    JsonNode job = Json.mapper().createObjectNode().put("$ref", "#/components/schemas/Job");

    assertThat(validate(job, "{\"id\":\"job_1\",\"status\":\"queued\"}"))
        .as("required fields missing")
        .isNotEmpty();
    assertThat(
            validate(
                job,
                "{\"id\":\"job_1\",\"status\":\"lost\",\"created_at\":\"2026-01-01T00:00:00Z\","
                    + "\"updated_at\":\"2026-01-01T00:00:00Z\",\"model\":\"m\",\"priority\":\"bulk\","
                    + "\"mode\":\"realtime\",\"surprise\":1}"))
        .as("an unknown status and an undocumented field")
        .hasSize(2);
  }

  private static String status(JobApiFixture.Client client, String jobId) {
    return JobApiFixture.json(client.get(jobId)).get("status").asText();
  }

  private static HttpResponse<String> call(
      JobApiFixture.Client client, String method, String path, String body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(fixture.url(path))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (client != null) {
      request.header("Authorization", "Bearer " + client.key);
    }
    if (headers.length > 0) {
      request.headers(headers);
    }
    return JobApiFixture.send(request);
  }

  /**
   * Asserts the answer has the expected status, that the document lists this status for the
   * operation, and that the body validates against the schema documented for it.
   */
  private void check(String method, String template, HttpResponse<String> response, int status) {
    String what = method.toUpperCase() + " " + template + " → " + response.statusCode();
    assertThat(response.statusCode()).as("%s: %s", what, response.body()).isEqualTo(status);
    JsonNode operation = document.get("paths").path(template).path(method);
    assertThat(operation.isMissingNode()).as("%s is documented", what).isFalse();
    JsonNode answer = resolve(operation.path("responses").path(String.valueOf(status)));
    assertThat(answer.isMissingNode()).as("%s: status documented", what).isFalse();
    JsonNode schema = answer.path("content").path("application/json").path("schema");
    if (response.body().isEmpty()) {
      assertThat(schema.isMissingNode()).as("%s: documented without a body", what).isTrue();
    } else {
      assertThat(schema.isMissingNode()).as("%s: a body is documented", what).isFalse();
      assertThat(validate(schema, response.body())).as("%s: %s", what, response.body()).isEmpty();
    }
    checked.add(what);
  }

  private static JsonNode resolve(JsonNode node) {
    JsonNode ref = node.path("$ref");
    return ref.isTextual() ? document.at(ref.asText().substring(1)) : node;
  }

  private static List<Error> validate(JsonNode schema, String body) {
    ObjectNode root = schema.deepCopy();
    root.set("components", document.get("components"));
    try {
      return SCHEMAS.getSchema(root).validate(Json.mapper().readTree(body));
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }

  private record Route(String method, String uri) {}

  /** The document's operations: method (lower case) and path as written. */
  private static List<Route> operations() {
    List<Route> operations = new ArrayList<>();
    for (Iterator<String> paths = document.get("paths").fieldNames(); paths.hasNext(); ) {
      String path = paths.next();
      for (Iterator<String> keys = document.get("paths").get(path).fieldNames(); keys.hasNext(); ) {
        String key = keys.next();
        if (METHODS.contains(key)) {
          operations.add(new Route(key, path));
        }
      }
    }
    return operations;
  }

  private static java.util.Optional<Route> route(Method method) {
    for (Annotation annotation : method.getAnnotations()) {
      String uri =
          switch (annotation) {
            case Get get -> first(get.uri(), get.value());
            case Post post -> first(post.uri(), post.value());
            case Patch patch -> first(patch.uri(), patch.value());
            case Delete delete -> first(delete.uri(), delete.value());
            case Put put -> first(put.uri(), put.value());
            default -> null;
          };
      if (uri != null) {
        return java.util.Optional.of(
            new Route(annotation.annotationType().getSimpleName().toLowerCase(), uri));
      }
    }
    return java.util.Optional.empty();
  }

  private static String first(String uri, String value) {
    return !uri.equals("/") && !uri.isEmpty() ? uri : value;
  }

  private static String join(String base, String uri) {
    String path = (base.equals("/") ? "" : base) + (uri.equals("/") ? "" : uri);
    return path.isEmpty() ? "/" : path;
  }

  /** Path parameters named alike, so that {id} and {jobId} in the same place compare equal. */
  private static String normalise(String path) {
    return path.replaceAll("\\{[^}]+}", "{}");
  }

  /** Every class annotated {@link Controller} beside {@link JobController}. */
  private static List<Class<?>> controllers() throws IOException, URISyntaxException {
    Path dir =
        Path.of(JobController.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .resolve(JobController.class.getPackageName().replace('.', '/'));
    List<Class<?>> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name = file.getFileName().toString().replace(".class", "");
        try {
          Class<?> type = Class.forName(JobController.class.getPackageName() + "." + name);
          if (type.isAnnotationPresent(Controller.class)) {
            found.add(type);
          }
        } catch (ClassNotFoundException e) {
          throw new AssertionError(e);
        }
      }
    }
    return found;
  }
}
