package io.sluice.launcher.batch;

import java.io.Console;

/** Whether standard output is a terminal a person watches (a redrawn line) or a pipe or log. */
final class Terminal {
  private Terminal() {}

  static boolean interactive() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      // Since JDK 22 System.console() exists even when redirected; isTerminal() tells.
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }
}
