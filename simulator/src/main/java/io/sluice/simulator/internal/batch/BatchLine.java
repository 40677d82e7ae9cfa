package io.sluice.simulator.internal.batch;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One request of a batch: its {@code custom_id} and the request body ({@code body} / {@code
 * params}).
 */
public record BatchLine(String customId, JsonNode request) {}
