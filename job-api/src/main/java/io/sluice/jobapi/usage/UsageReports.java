package io.sluice.jobapi.usage;

import io.sluice.jobapi.job.InvalidJobRequestException;
import java.util.List;
import java.util.Map;

/** Reads the cost ledger. */
public interface UsageReports {
  /**
   * The report a request's parameters ask for (see {@link UsageQueryParser}; defaults relative to
   * today, UTC).
   *
   * @throws InvalidJobRequestException naming each bad parameter
   */
  UsageReport report(String tenantId, Map<String, List<String>> parameters);

  UsageReport report(UsageQuery query);
}
