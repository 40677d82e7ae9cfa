package io.sluice.simulator.internal.meter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.schemas.json.Json;
import io.sluice.simulator.BatchQueueRow;
import io.sluice.simulator.MeterRow;
import io.sluice.simulator.MeterSnapshot;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The meter as JSON for {@code GET /_sim/meter}: {@code {"rows":[...], "totals":[...],
 * "batch_queues":[...]}}, rows per API, model and minute, totals per model, batch queues per API
 * and model (model {@code *}: the account).
 */
public final class MeterJson {
  private MeterJson() {}

  public static ObjectNode write(MeterSnapshot snapshot) {
    ObjectNode root = Json.mapper().createObjectNode();
    ArrayNode rows = root.putArray("rows");
    snapshot.rows().forEach(row -> rows.add(row(row)));
    ArrayNode totals = root.putArray("totals");
    Set<String> models = new LinkedHashSet<>();
    snapshot.rows().forEach(row -> models.add(row.model()));
    models.stream().sorted().forEach(model -> totals.add(row(snapshot.total(model))));
    ArrayNode queues = root.putArray("batch_queues");
    snapshot.batchQueues().forEach(queue -> queues.add(queue(queue)));
    return root;
  }

  private static ObjectNode queue(BatchQueueRow row) {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("api", row.api());
    node.put("model", row.model());
    node.put("batches_created", row.batchesCreated());
    node.put("lines_created", row.linesCreated());
    node.put("queue_refusals", row.queueRefusals());
    node.put("creation_refusals", row.creationRefusals());
    node.put("peak_enqueued_tokens", row.peakEnqueuedTokens());
    node.put("peak_queued_requests", row.peakQueuedRequests());
    return node;
  }

  private static ObjectNode row(MeterRow row) {
    ObjectNode node = Json.mapper().createObjectNode();
    if (!row.api().equals("*")) {
      node.put("api", row.api());
    }
    node.put("model", row.model());
    if (row.minute() != null) {
      node.put("minute", row.minute().toString());
    }
    node.put("requests", row.requests());
    node.put("input_tokens", row.inputTokens());
    node.put("output_tokens", row.outputTokens());
    node.put("max_tokens", row.maxTokens());
    node.put("charged_tokens", row.chargedTokens());
    node.put("rate_limited", row.rateLimited());
    node.put("errors", row.errors());
    return node;
  }
}
