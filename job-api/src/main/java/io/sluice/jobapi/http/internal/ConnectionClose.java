package io.sluice.jobapi.http.internal;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.GenericFutureListener;

/**
 * Runs an action when the client's connection closes. Micronaut does not cancel a single-value
 * answer (a long poll's) when its client goes away, so the wait watches the connection itself.
 */
final class ConnectionClose {
  private ConnectionClose() {}

  /**
   * Runs {@code action} when the request's connection closes; the returned handle stops watching (a
   * kept-alive connection serves many requests: each removes its watch when it is answered).
   */
  static Runnable onClose(HttpRequest<?> request, Runnable action) {
    if (!(request instanceof NettyHttpRequest<?> netty)) {
      return () -> {};
    }
    ChannelFuture closed = netty.getChannelHandlerContext().channel().closeFuture();
    GenericFutureListener<ChannelFuture> listener = future -> action.run();
    closed.addListener(listener);
    return () -> closed.removeListener(listener);
  }
}
