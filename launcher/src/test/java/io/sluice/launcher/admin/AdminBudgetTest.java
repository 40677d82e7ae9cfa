package io.sluice.launcher.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.embedded.PostgresEndpoint;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.schemas.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code sluice admin tenants budget|show} on a real PostgreSQL: budgets set, changed one period at
 * a time and cleared, shown with the current day's and month's usage; bad values are usage errors
 * (exit 2) naming the option, with nothing changed.
 */
class AdminBudgetTest {
  private static PostgresEndpoint db;
  private static Map<String, String> env;

  @BeforeAll
  static void createDatabase() {
    db = TestInfrastructure.newDatabase();
    env =
        Map.of(
            "SLUICE_JDBC_URL", db.jdbcUrl(),
            "SLUICE_JDBC_USER", db.username(),
            "SLUICE_JDBC_PASSWORD", db.password());
  }

  @AfterAll
  static void dropDatabase() {
    db.close();
  }

  private record Admin(int exitCode, String out, String err) {}

  private static Admin admin(String... arguments) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new AdminCommand(env, Clock.systemUTC()));
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    int exitCode = command.execute(arguments);
    return new Admin(exitCode, out.toString(), err.toString());
  }

  private static JsonNode budgets(String tenant) throws IOException {
    Admin shown = admin("tenants", "show", tenant, "--json");
    assertThat(shown.exitCode).as(shown.err).isZero();
    return Json.mapper().readTree(shown.out).get("token_budgets");
  }

  @Test
  void shouldSetChangeAndClearATenantsTokenBudgetsAndShowThemWithUsage() throws IOException {
    assertThat(admin("tenants", "create", "budgeted").exitCode).isZero();

    Admin set =
        admin(
            "tenants", "budget", "budgeted", "--daily-tokens", "1000", "--monthly-tokens", "5000");

    assertThat(set.exitCode).as(set.err).isZero();
    assertThat(set.out).contains("1000 tokens a day, 5000 tokens a month");
    JsonNode budgets = budgets("budgeted");
    assertThat(budgets.at("/daily/limit_tokens").asLong()).isEqualTo(1000);
    assertThat(budgets.at("/daily/used_tokens").asLong()).isZero();
    assertThat(budgets.at("/daily/reserved_tokens").asLong()).isZero();
    assertThat(budgets.at("/daily/resets_at").asText()).endsWith("T00:00:00Z");
    assertThat(budgets.at("/monthly/limit_tokens").asLong()).isEqualTo(5000);
    Admin table = admin("tenants", "show", "budgeted");
    assertThat(table.out).contains("BUDGET").contains("daily").contains("1000 tokens");

    assertThat(admin("tenants", "budget", "budgeted", "--daily-tokens", "none").exitCode).isZero();
    budgets = budgets("budgeted");
    assertThat(budgets.at("/daily/limit_tokens").isNumber()).as("no daily limit").isFalse();
    assertThat(budgets.at("/daily/used_tokens").isNumber()).isTrue();
    assertThat(budgets.at("/monthly/limit_tokens").asLong()).isEqualTo(5000);

    assertThat(admin("tenants", "budget", "budgeted", "--monthly-tokens", "none").exitCode)
        .isZero();
    assertThat(budgets("budgeted").at("/monthly/limit_tokens").isNumber()).isFalse();
  }

  @Test
  void shouldRefuseBadValuesNamingTheOptionAndChangeNothing() throws IOException {
    assertThat(admin("tenants", "create", "careful").exitCode).isZero();
    assertThat(admin("tenants", "budget", "careful", "--daily-tokens", "700").exitCode).isZero();

    for (String bad : new String[] {"0", "-5", "lots", "1.5"}) {
      Admin refused = admin("tenants", "budget", "careful", "--daily-tokens", bad);
      assertThat(refused.exitCode).as(bad).isEqualTo(2);
      assertThat(refused.err).contains("--daily-tokens must be a whole number of tokens");
    }
    Admin nothing = admin("tenants", "budget", "careful");
    assertThat(nothing.exitCode).isEqualTo(2);
    assertThat(nothing.err).contains("--daily-tokens and/or --monthly-tokens");
    Admin unknown = admin("tenants", "budget", "nobody", "--daily-tokens", "5");
    assertThat(unknown.exitCode).isEqualTo(1);
    assertThat(unknown.err).contains("no tenant with the name or ID 'nobody'");
    assertThat(budgets("careful").at("/daily/limit_tokens").asLong()).isEqualTo(700);
  }
}
