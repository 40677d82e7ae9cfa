package io.sluice.jobapi.bulk.batches;

import java.util.Map;

/** A valid {@code POST /v1/batches} body. */
public record BatchRequest(
    String inputFileId, String endpoint, CompletionWindow window, Map<String, String> metadata) {}
