package io.sluice.jobapi.http.internal;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.sluice.jobapi.http.JobApiBeans;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose request body is still arriving without losing the answer already
 * written: the way nginx's and Apache's lingering close do. When the server ends a connection
 * before it has read the whole request (a {@code 413} for an upload over the limit, answered on its
 * declared {@code Content-Length} or as soon as a chunked body outgrows it), a plain close with
 * unread bytes makes the kernel send a reset, and a client still sending its body (the SDKs send it
 * whole before they read) often loses the {@code 413} with it and reports a broken connection
 * instead. Here the answer is followed by the end of the server's side of the stream only; what the
 * client still sends is read and dropped until its body ends, it closes its side, nothing arrives
 * for {@link #IDLE}, or {@link #MAX} has passed, and only then is the connection closed.
 *
 * <p>One instance per connection, placed just after the HTTP/1.1 codec (it sees the request's
 * parts, so a connection whose request was read whole closes at once as before).
 */
final class LingeringClose extends ChannelDuplexHandler {
  /** The longest a refused request's body is read and dropped (nginx's {@code lingering_time}). */
  static final Duration MAX = Duration.ofSeconds(30);

  /** The longest wait for more of it (nginx's {@code lingering_timeout}). */
  static final Duration IDLE = Duration.ofSeconds(5);

  private static final String NAME = "sluice-lingering-close";

  private boolean bodyUnread;
  private boolean lingering;
  private long lastReadNanos;
  private ScheduledFuture<?> deadline;

  /** Adds the handler to every HTTP/1.1 connection job-api's server opens. */
  @Singleton
  @Requires(property = JobApiBeans.ENABLED, value = "true")
  static final class Installer implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {
    @Override
    public NettyServerCustomizer.Registry onCreated(
        BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
      event.getBean().register(new PerConnection(null));
      return event.getBean();
    }
  }

  private record PerConnection(Channel channel) implements NettyServerCustomizer {
    @Override
    public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
      return role == ChannelRole.CONNECTION ? new PerConnection(channel) : this;
    }

    @Override
    public void onStreamPipelineBuilt() {
      if (channel == null) {
        return;
      }
      ChannelPipeline pipeline = channel.pipeline();
      if (pipeline.get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) != null
          && pipeline.get(ChannelPipelineCustomizer.HANDLER_SSL) == null
          && pipeline.get(NAME) == null) {
        pipeline.addAfter(
            ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC, NAME, new LingeringClose());
      }
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest) {
      bodyUnread = true;
    }
    if (msg instanceof LastHttpContent) {
      bodyUnread = false;
    }
    if (!lingering) {
      ctx.fireChannelRead(msg);
      return;
    }
    boolean last = msg instanceof LastHttpContent;
    if (msg instanceof HttpContent) {
      lastReadNanos = System.nanoTime();
    }
    ReferenceCountUtil.release(msg);
    if (last) {
      ctx.close();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (lingering) {
      ctx.close(); // the client gave up on its body: nothing more to tell anyone
      return;
    }
    ctx.fireExceptionCaught(cause);
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    if (lingering) {
      // another close from the server side (an idle timer, a handler's error) waits for this one:
      // closing now would reset what the client is still sending. This handler's own closes
      // start below it (ctx.close()) and are not held.
      ctx.channel().closeFuture().addListener(closed -> promise.trySuccess());
      return;
    }
    if (!bodyUnread
        || !(ctx.channel() instanceof DuplexChannel duplex)
        || !duplex.isActive()
        || duplex.isOutputShutdown()) {
      ctx.close(promise);
      return;
    }
    lingering = true;
    lastReadNanos = System.nanoTime();
    long started = lastReadNanos;
    Channel channel = ctx.channel();
    channel.closeFuture().addListener(closed -> promise.trySuccess());
    duplex
        .shutdownOutput()
        .addListener(
            shut -> {
              if (!shut.isSuccess()) {
                ctx.close();
                return;
              }
              channel.config().setAutoRead(true);
              ctx.read();
              checkLater(ctx, started);
            });
  }

  /** Closes once the client has been silent for {@link #IDLE} or {@link #MAX} has passed. */
  private void checkLater(ChannelHandlerContext ctx, long started) {
    long now = System.nanoTime();
    long idleEnds = lastReadNanos + IDLE.toNanos();
    long lingerEnds = started + MAX.toNanos();
    if (now - idleEnds >= 0 || now - lingerEnds >= 0) {
      ctx.close();
      return;
    }
    long next = Math.min(idleEnds, lingerEnds) - now;
    deadline = ctx.executor().schedule(() -> checkLater(ctx, started), next, TimeUnit.NANOSECONDS);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (deadline != null) {
      deadline.cancel(false);
    }
    ctx.fireChannelInactive();
  }
}
