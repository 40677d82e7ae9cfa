package io.sluice.launcher.admin;

import io.sluice.jobapi.TenantDatabase;
import io.sluice.jobapi.budget.BudgetAdmin;
import io.sluice.jobapi.budget.BudgetStatus;
import io.sluice.jobapi.budget.TokenBudget;
import io.sluice.jobapi.tenant.RequestLimit;
import io.sluice.jobapi.tenant.Tenant;
import io.sluice.jobapi.tenant.TenantAdmin;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice admin tenants create|list|update|disable|enable|operator|budget|show}. */
@Command(
    name = "tenants",
    mixinStandardHelpOptions = true,
    description =
        "Creates, lists, limits, disables and enables tenants; makes a tenant an operator; sets"
            + " and shows token budgets.",
    subcommands = {
      TenantCommands.Create.class,
      TenantCommands.ListTenants.class,
      TenantCommands.Update.class,
      TenantCommands.Disable.class,
      TenantCommands.Enable.class,
      TenantCommands.Operator.class,
      TenantCommands.Budget.class,
      TenantCommands.Cache.class,
      TenantCommands.Show.class
    })
final class TenantCommands implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "name a subcommand: create, list, update, disable, enable, operator, budget or show");
  }

  /** The request-limit options of create and update. */
  static class LimitOptions {
    @Option(
        names = "--requests-per-second",
        paramLabel = "N",
        description =
            "The tenant's own request limit per API instance (a number > 0; for update also"
                + " 'default': back to SLUICE_TENANT_REQUESTS_PER_SECOND).")
    String requestsPerSecond;

    @Option(
        names = "--burst",
        paramLabel = "M",
        description = "Requests allowed at once after a quiet time (default: one second's worth).")
    Integer burst;

    Optional<Optional<RequestLimit>> parse() {
      return AdminArguments.requestLimit(requestsPerSecond, burst);
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates a tenant.")
  static final class Create extends AdminSubcommand {
    @Parameters(paramLabel = "NAME", description = "A unique name, 1 to 200 characters.")
    String name;

    @CommandLine.Mixin LimitOptions limitOptions = new LimitOptions();

    @Option(names = "--json", description = "Print the tenant as JSON.")
    boolean json;

    private RequestLimit limit;

    @Override
    void prepare(AdminCommand root) {
      if (name.isBlank() || name.length() > 200) {
        throw new IllegalArgumentException("NAME must be 1 to 200 characters");
      }
      Optional<Optional<RequestLimit>> parsed = limitOptions.parse();
      if (parsed.isPresent() && parsed.get().isEmpty()) {
        throw new IllegalArgumentException(
            "--requests-per-second default is for update; leave it out to use the default");
      }
      limit = parsed.flatMap(l -> l).orElse(null);
    }

    @Override
    void run(TenantAdmin admin, PrintWriter out, PrintWriter err) {
      Tenant tenant = admin.createTenant(name, limit);
      printTenant(out, tenant, json, "created");
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists every tenant.")
  static final class ListTenants extends AdminSubcommand {
    @Option(names = "--json", description = "Print a JSON array.")
    boolean json;

    @Override
    void run(TenantAdmin admin, PrintWriter out, PrintWriter err) {
      List<Tenant> tenants = admin.listTenants();
      if (json) {
        AdminOutput.json(out, tenants.stream().map(AdminOutput::tenant).toList());
      } else {
        AdminOutput.tenantTable(out, tenants);
      }
    }
  }

  @Command(
      name = "update",
      mixinStandardHelpOptions = true,
      description = "Changes a tenant's own request limit.")
  static final class Update extends AdminSubcommand {
    @Parameters(paramLabel = "TENANT", description = "The tenant's ID or name.")
    String tenant;

    @CommandLine.Mixin LimitOptions limitOptions = new LimitOptions();

    @Option(names = "--json", description = "Print the tenant as JSON.")
    boolean json;

    private Optional<RequestLimit> limit;

    @Override
    void prepare(AdminCommand root) {
      limit =
          limitOptions
              .parse()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "nothing to update: give --requests-per-second (and --burst)"));
    }

    @Override
    void run(TenantAdmin admin, PrintWriter out, PrintWriter err) {
      Tenant found = AdminCommand.tenant(admin, tenant);
      Tenant updated = admin.setRequestLimit(found.id(), limit.orElse(null)).orElseThrow();
      printTenant(out, updated, json, "updated");
    }
  }

  @Command(
      name = "disable",
      mixinStandardHelpOptions = true,
      description =
          "Disables a tenant: its keys are refused (401) by every API instance within the key"
              + " cache time; its jobs stay.")
  static final class Disable extends AdminSubcommand {
    @Parameters(paramLabel = "TENANT", description = "The tenant's ID or name.")
    String tenant;

    @Override
    void run(TenantAdmin admin, PrintWriter out, PrintWriter err) {
      Tenant found = AdminCommand.tenant(admin, tenant);
      printTenant(out, admin.disableTenant(found.id()).orElseThrow(), false, "disabled");
    }
  }

  @Command(
      name = "enable",
      mixinStandardHelpOptions = true,
      description = "Enables a disabled tenant again.")
  static final class Enable extends AdminSubcommand {
    @Parameters(paramLabel = "TENANT", description = "The tenant's ID or name.")
    String tenant;

    @Override
    void run(TenantAdmin admin, PrintWriter out, PrintWriter err) {
      Tenant found = AdminCommand.tenant(admin, tenant);
      printTenant(out, admin.enableTenant(found.id()).orElseThrow(), false, "enabled");
    }
  }

  @Command(
      name = "operator",
      mixinStandardHelpOptions = true,
      description =
          "Makes a tenant an operator: its keys see every tenant's aggregates, the lanes and the"
              + " rate limits on the dashboard (/ui). Its own jobs stay its own.")
  static final class Operator extends AdminSubcommand {
    @Parameters(paramLabel = "TENANT", description = "The tenant's ID or name.")
    String tenant;

    @Option(names = "--off", description = "Makes it an ordinary tenant again.")
    boolean off;

    @Override
    void run(TenantAdmin admin, PrintWriter out, PrintWriter err) {
      Tenant found = AdminCommand.tenant(admin, tenant);
      admin.setOperator(found.id(), !off).orElseThrow();
      out.println(
          "tenant "
              + found.id()
              + " ("
              + found.name()
              + ") is "
              + (off ? "no operator" : "an operator")
              + " from now on");
    }
  }

  @Command(
      name = "budget",
      mixinStandardHelpOptions = true,
      description =
          "Sets or clears a tenant's token budgets (input plus output tokens per UTC day and per"
              + " UTC month; docs/budgets.md). Takes effect on every API instance within the key"
              + " cache time.")
  static final class Budget extends AdminSubcommand {
    @Parameters(paramLabel = "TENANT", description = "The tenant's ID or name.")
    String tenant;

    @Option(
        names = "--daily-tokens",
        paramLabel = "N",
        description = "Tokens per UTC day (1 to 10^15), or 'none' to clear the daily budget.")
    String daily;

    @Option(
        names = "--monthly-tokens",
        paramLabel = "N",
        description = "Tokens per UTC month (1 to 10^15), or 'none' to clear the monthly budget.")
    String monthly;

    private Optional<Optional<Long>> dailyTokens;
    private Optional<Optional<Long>> monthlyTokens;

    @Override
    void prepare(AdminCommand root) {
      dailyTokens = AdminArguments.budgetTokens("--daily-tokens", daily);
      monthlyTokens = AdminArguments.budgetTokens("--monthly-tokens", monthly);
      if (dailyTokens.isEmpty() && monthlyTokens.isEmpty()) {
        throw new IllegalArgumentException(
            "nothing to set: give --daily-tokens and/or --monthly-tokens (N or none)");
      }
    }

    @Override
    void run(TenantDatabase session, PrintWriter out, PrintWriter err) {
      Tenant found = AdminCommand.tenant(session.admin(), tenant);
      BudgetAdmin budgets = session.budgets();
      TokenBudget budget = budgets.budgetOf(found.id()).orElse(TokenBudget.NONE);
      if (dailyTokens.isPresent()) {
        budget = budget.withDaily(dailyTokens.get().orElse(null));
      }
      if (monthlyTokens.isPresent()) {
        budget = budget.withMonthly(monthlyTokens.get().orElse(null));
      }
      budgets.setBudget(found.id(), budget);
      out.println(
          "token budget of tenant "
              + found.id()
              + " ("
              + found.name()
              + "): "
              + AdminOutput.tokens(budget.dailyTokens())
              + " a day, "
              + AdminOutput.tokens(budget.monthlyTokens())
              + " a month");
    }
  }

  @Command(
      name = "cache",
      mixinStandardHelpOptions = true,
      description =
          "Sets how long the result cache serves a tenant's answers (docs/cache.md): a duration"
              + " (90m, 24h, 7d, P7D), 0 to keep the tenant's jobs out of the cache, or 'default'"
              + " for the deployment's (SLUICE_CACHE_TTL). Applies at once, to kept answers too.")
  static final class Cache extends AdminSubcommand {
    @Parameters(paramLabel = "TENANT", description = "The tenant's ID or name.")
    String tenant;

    @Option(
        names = "--ttl",
        required = true,
        paramLabel = "TTL",
        description = "A duration (90m, 24h, 7d, P7D), 0, or 'default'.")
    String ttl;

    private Duration parsed;

    @Override
    void prepare(AdminCommand root) {
      parsed = AdminArguments.cacheTtl(ttl);
    }

    @Override
    void run(TenantAdmin admin, PrintWriter out, PrintWriter err) {
      Tenant found = AdminCommand.tenant(admin, tenant);
      admin.setCacheTtl(found.id(), parsed);
      out.println(
          "result cache TTL of tenant "
              + found.id()
              + " ("
              + found.name()
              + "): "
              + AdminOutput.cacheTtl(Optional.ofNullable(parsed)));
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description =
          "Shows a tenant: its status, request limit and token budgets with the current UTC day's"
              + " and month's usage (used by ended jobs, reserved by running ones).")
  static final class Show extends AdminSubcommand {
    @Parameters(paramLabel = "TENANT", description = "The tenant's ID or name.")
    String tenant;

    @Option(names = "--json", description = "Print the tenant as JSON.")
    boolean json;

    @Override
    void run(TenantDatabase session, PrintWriter out, PrintWriter err) {
      Tenant found = AdminCommand.tenant(session.admin(), tenant);
      List<BudgetStatus> budgets = session.budgets().statusOf(found.id());
      if (json) {
        AdminOutput.json(out, AdminOutput.tenantWithBudgets(found, budgets));
        return;
      }
      printTenant(out, found, false, "tenant");
      out.println("result cache TTL " + AdminOutput.cacheTtl(session.admin().cacheTtl(found.id())));
      AdminOutput.budgetTable(out, budgets);
    }
  }

  private static void printTenant(PrintWriter out, Tenant tenant, boolean json, String what) {
    if (json) {
      AdminOutput.json(out, AdminOutput.tenant(tenant));
      return;
    }
    out.println(
        (what.equals("tenant") ? "" : what + " ")
            + "tenant "
            + tenant.id()
            + " ("
            + tenant.name()
            + "), "
            + (tenant.disabled() ? "disabled" : "active")
            + ", request limit "
            + AdminOutput.limit(tenant.requestLimit()));
  }
}
