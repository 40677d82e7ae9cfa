package io.sluice.launcher.demo;

/**
 * One job of the demo workload: the prompt to send and the answer the simulator must give.
 *
 * @param prompt the user message
 * @param model the model to ask
 * @param expectedOutput the deterministic output the simulator computes for the prompt
 */
public record DemoJob(String prompt, String model, String expectedOutput) {}
