package io.sluice.launcher.admin;

import io.sluice.jobapi.TenantDatabase;
import io.sluice.jobapi.tenant.Tenant;
import io.sluice.jobapi.tenant.TenantAdmin;
import io.sluice.launcher.serve.Environment;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sluice admin}: tenants and API keys in job-api's PostgreSQL database, configured like
 * {@code sluice serve job-api} (SLUICE_JDBC_URL, SLUICE_JDBC_USER, SLUICE_JDBC_PASSWORD). Changes
 * reach every API instance within its key cache time (SLUICE_API_KEY_CACHE_TTL, 2 s by default).
 */
@Command(
    name = "admin",
    mixinStandardHelpOptions = true,
    description = "Manages tenants, their token budgets and API keys in job-api's database.",
    subcommands = {TenantCommands.class, KeyCommands.class},
    footer = {
      "",
      "Environment (as for `sluice serve job-api`):",
      "  SLUICE_JDBC_URL, SLUICE_JDBC_USER (default sluice), SLUICE_JDBC_PASSWORD   PostgreSQL",
      "",
      "Exit codes: 0 done, 1 refused or failed (e.g. unknown tenant, database unreachable),",
      "2 usage error."
    })
public final class AdminCommand implements Runnable {
  @Spec CommandSpec spec;

  private final Map<String, String> variables;
  private final Clock clock;

  public AdminCommand() {
    this(System.getenv(), Clock.systemUTC());
  }

  public AdminCommand(Map<String, String> variables, Clock clock) {
    this.variables = variables;
    this.clock = clock;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name a subcommand: tenants or keys");
  }

  Clock clock() {
    return clock;
  }

  /** A connection to the database named by the environment; migrates it if needed. */
  TenantDatabase open() {
    Environment env = new Environment(variables);
    String url = env.required("SLUICE_JDBC_URL");
    String user = env.optional("SLUICE_JDBC_USER", "sluice");
    String password = env.optional("SLUICE_JDBC_PASSWORD", "");
    env.check();
    try {
      return TenantDatabase.open(url, user, password, clock);
    } catch (RuntimeException e) {
      throw new AdminException(
          "cannot open job-api's database at " + url + " (SLUICE_JDBC_URL): " + rootCause(e));
    }
  }

  /** The tenant named by an argument: its ID ({@code ten_...}) or its name. */
  static Tenant tenant(TenantAdmin admin, String idOrName) {
    Optional<Tenant> byId =
        idOrName.startsWith("ten_") ? admin.findTenantById(idOrName) : Optional.empty();
    return byId.or(() -> admin.findTenant(idOrName))
        .orElseThrow(
            () ->
                new AdminException(
                    "no tenant with the name or ID '"
                        + idOrName
                        + "' (see `sluice admin tenants list`)"));
  }

  private static String rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }
}
