package io.sluice.simulator.internal.answer;

/** One message of a prompt, reduced to its role and text. */
public record PromptMessage(String role, String text) {}
