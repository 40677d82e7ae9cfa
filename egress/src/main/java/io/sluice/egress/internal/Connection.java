package io.sluice.egress.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

/**
 * A TCP connection to one checked address, with TLS on it once its handshake is done. Used by one
 * exchange at a time; between exchanges it waits in {@link IdleConnections}.
 */
final class Connection {
  /**
   * Where a connection goes, all of which a reused connection must match: the scheme, the URL's
   * host (the TLS server name and certificate check), the port, and the address it is connected to
   * — so a connection is reused only for a post whose own check admitted that address.
   */
  record Route(boolean https, String host, int port, InetAddress address) {
    static Route of(Destination destination, InetAddress address) {
      return new Route(destination.https(), destination.host(), destination.port(), address);
    }
  }

  private final Route route;
  private final Socket socket;
  private Socket channel;
  private boolean reused;

  Connection(Route route, Socket socket) {
    this.route = route;
    this.socket = socket;
  }

  Route route() {
    return route;
  }

  /** The TCP socket: closing it ends any read or write on the connection, TLS or not. */
  Socket socket() {
    return socket;
  }

  /** The socket to read and write: the TLS socket for https once set, else the TCP socket. */
  Socket channel() {
    return channel == null ? socket : channel;
  }

  /** Whether the TLS handshake still has to be done. */
  boolean needsHandshake() {
    return route.https() && channel == null;
  }

  void secured(Socket tls) {
    channel = tls;
  }

  /** Whether an earlier exchange used this connection: then the server may have closed it. */
  boolean reused() {
    return reused;
  }

  /** Marks the connection as taken from the pool for another exchange. */
  Connection reuse() {
    reused = true;
    return this;
  }

  void close() {
    try {
      channel().close();
      socket.close();
    } catch (IOException e) {
      // Closing a connection nobody will use again: nothing more to do.
    }
  }
}
