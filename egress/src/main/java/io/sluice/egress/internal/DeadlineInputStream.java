package io.sluice.egress.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * Reads from a socket with one deadline for the whole response: each read may wait only for what is
 * left, so a receiver that trickles a byte at a time cannot stretch the request timeout. Counts the
 * bytes it has read.
 */
final class DeadlineInputStream extends FilterInputStream {
  private final Socket socket;
  private final long deadlineNanos;
  private long received;

  DeadlineInputStream(Socket socket, InputStream in, long deadlineNanos) {
    super(in);
    this.socket = socket;
    this.deadlineNanos = deadlineNanos;
  }

  @Override
  public int read() throws IOException {
    armTimeout();
    int b = super.read();
    received += b < 0 ? 0 : 1;
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    armTimeout();
    int n = super.read(buffer, offset, length);
    received += Math.max(n, 0);
    return n;
  }

  /** Whether any byte of the response has arrived. */
  boolean receivedAny() {
    return received > 0;
  }

  private void armTimeout() throws IOException {
    socket.setSoTimeout(remainingMillis(deadlineNanos));
  }

  /** Milliseconds left before {@code deadlineNanos}, at least 1; a timeout when none are. */
  static int remainingMillis(long deadlineNanos) throws SocketTimeoutException {
    long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
    if (left <= 0) {
      throw new SocketTimeoutException("the request timeout elapsed");
    }
    return (int) Math.min(left, Integer.MAX_VALUE);
  }
}
