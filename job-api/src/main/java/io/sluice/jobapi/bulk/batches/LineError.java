package io.sluice.jobapi.bulk.batches;

/**
 * What is wrong with a line of a batch's input file, as OpenAI reports it in {@code errors.data[]}.
 *
 * @param code machine-readable, e.g. {@code duplicate_custom_id}
 * @param message what to fix
 * @param line the 1-based line number, or {@code null} for the file as a whole
 */
public record LineError(String code, String message, Integer line) {}
