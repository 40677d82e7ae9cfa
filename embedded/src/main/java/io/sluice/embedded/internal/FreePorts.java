package io.sluice.embedded.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Finds a TCP port on 127.0.0.1 that nobody listens on right now. */
public final class FreePorts {

  private FreePorts() {}

  public static int pick() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not find a free port on 127.0.0.1", e);
    }
  }

  /** The port itself unless it is 0, in which case a free one. */
  public static int orFree(int port) {
    return port == 0 ? pick() : port;
  }
}
