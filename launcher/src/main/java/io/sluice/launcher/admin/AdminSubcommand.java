package io.sluice.launcher.admin;

import io.sluice.jobapi.TenantDatabase;
import io.sluice.jobapi.store.DatabaseException;
import io.sluice.jobapi.tenant.TenantAdmin;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * One {@code sluice admin} action: its options are checked first (a problem is a usage error, exit
 * code 2, naming the option), then it runs against the database (exit 0, or 1 with a one-line
 * {@code error:} when refused or failed).
 */
abstract class AdminSubcommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** Parses and checks the options. */
  void prepare(AdminCommand root) {}

  /**
   * Runs against the tenant admin (override this or {@link #run(TenantDatabase, PrintWriter,
   * PrintWriter)}).
   */
  void run(TenantAdmin admin, PrintWriter out, PrintWriter err) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " runs on the database");
  }

  /** Runs against the whole admin database: the tenant admin and the token budgets. */
  void run(TenantDatabase session, PrintWriter out, PrintWriter err) {
    run(session.admin(), out, err);
  }

  @Override
  public final Integer call() {
    AdminCommand root = root();
    try {
      prepare(root);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    PrintWriter err = spec.commandLine().getErr();
    try (TenantDatabase session = root.open()) {
      run(session, spec.commandLine().getOut(), err);
      return 0;
    } catch (AdminException | IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 1;
    } catch (DatabaseException e) {
      err.println("error: job-api's database failed: " + e.getMessage());
      return 1;
    } finally {
      spec.commandLine().getOut().flush();
      err.flush();
    }
  }

  private AdminCommand root() {
    CommandSpec current = spec;
    while (!(current.userObject() instanceof AdminCommand)) {
      current = current.parent();
    }
    return (AdminCommand) current.userObject();
  }
}
