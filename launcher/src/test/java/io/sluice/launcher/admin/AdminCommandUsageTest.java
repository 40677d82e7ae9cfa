package io.sluice.launcher.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code sluice admin}'s usage errors: exit code 2 and a message naming the argument, found before
 * any database is opened (none is configured here).
 */
class AdminCommandUsageTest {

  @Test
  void shouldNameAMissingRequiredOption() {
    Result result = run("keys", "issue");

    assertThat(result.exitCode).isEqualTo(2);
    assertThat(result.err).contains("--tenant");
  }

  @Test
  void shouldNameABadExpiry() {
    Result result = run("keys", "issue", "--tenant", "acme", "--expires-in", "soon");

    assertThat(result.exitCode).isEqualTo(2);
    assertThat(result.err).contains("--expires-in").contains("soon");
  }

  @Test
  void shouldRefuseBothExpiryOptions() {
    Result result =
        run(
            "keys",
            "issue",
            "--tenant",
            "acme",
            "--expires-in",
            "1d",
            "--expires-at",
            "2030-01-01");

    assertThat(result.exitCode).isEqualTo(2);
    assertThat(result.err).contains("--expires-in or --expires-at, not both");
  }

  @Test
  void shouldNameABadRequestLimit() {
    assertThat(run("tenants", "create", "acme", "--burst", "5").err)
        .contains("--burst needs --requests-per-second");
    Result zero = run("tenants", "create", "acme", "--requests-per-second", "0");
    assertThat(zero.exitCode).isEqualTo(2);
    assertThat(zero.err).contains("--requests-per-second");
    Result nothing = run("tenants", "update", "acme");
    assertThat(nothing.exitCode).isEqualTo(2);
    assertThat(nothing.err).contains("nothing to update");
  }

  @Test
  void shouldRefuseAKeyInsteadOfAKeyIdWithoutEchoingIt() {
    Result result = run("keys", "revoke", "sk_sluice_secretsecretsecret");

    assertThat(result.exitCode).isEqualTo(2);
    assertThat(result.err).contains("KEY_ID").doesNotContain("secretsecret");
  }

  @Test
  void shouldAskForASubcommandAndRejectUnknownOnes() {
    assertThat(run().exitCode).isEqualTo(2);
    assertThat(run("tenants").err)
        .contains("create, list, update, disable, enable, operator, budget or show");
    Result unknown = run("tenants", "delete", "acme");
    assertThat(unknown.exitCode).isEqualTo(2);
    assertThat(unknown.err).contains("delete");
  }

  @Test
  void shouldNameTheMissingDatabaseVariableWithExitCode1() {
    Result result = run("tenants", "list");

    assertThat(result.exitCode).isEqualTo(1);
    assertThat(result.err).contains("SLUICE_JDBC_URL");
  }

  @Test
  void shouldPrintHelpWithExitCode0() {
    Result result = run("keys", "issue", "--help");

    assertThat(result.exitCode).isZero();
    assertThat(result.out).contains("--expires-in").contains("--expires-at").contains("--json");
  }

  private record Result(int exitCode, String out, String err) {}

  private static Result run(String... arguments) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new AdminCommand(Map.of(), Clock.systemUTC()));
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    int exitCode = command.execute(arguments);
    return new Result(exitCode, out.toString(), err.toString());
  }
}
