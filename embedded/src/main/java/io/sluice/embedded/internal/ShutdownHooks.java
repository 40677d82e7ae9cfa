package io.sluice.embedded.internal;

/** Stops servers when the JVM exits, unless they were stopped before. */
public final class ShutdownHooks {

  private ShutdownHooks() {}

  public static Thread register(String name, Runnable stop) {
    Thread hook = new Thread(stop, name);
    Runtime.getRuntime().addShutdownHook(hook);
    return hook;
  }

  /**
   * Removes a hook; does nothing for {@code null} (no hook was registered) or when the JVM is
   * already shutting down (the hook runs then).
   */
  public static void unregister(Thread hook) {
    if (hook == null || hook == Thread.currentThread()) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or about to run; it finds the server stopped.
    }
  }
}
