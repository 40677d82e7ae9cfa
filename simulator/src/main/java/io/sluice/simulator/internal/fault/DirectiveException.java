package io.sluice.simulator.internal.fault;

/** A {@code #sim} line the simulator cannot read; the caller gets a 400 naming the problem. */
public class DirectiveException extends RuntimeException {
  public DirectiveException(String message) {
    super(message);
  }
}
