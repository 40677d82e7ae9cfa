package io.sluice.bench.intake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The intake benchmark's load generator: an open-loop HTTP/1.1 client on one thread and one {@link
 * Selector}. Requests go out on the schedule's times whatever the responses do, each on an idle
 * keep-alive connection (one request per connection at a time, no pipelining); when none is idle it
 * opens more, up to a bound, and the request waits — its wait counts in its corrected latency. The
 * request bytes are built beforehand ({@link JobBodies}); a response is read only for its status,
 * its end and a {@code 202}'s job ID ({@link ResponseParser}).
 */
public final class OpenLoopClient implements AutoCloseable {
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final long CONNECT_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final int READ_BUFFER = 64 * 1024;

  private final InetSocketAddress address;
  private final List<ByteBuffer> requests;
  private final int maxConnections;
  private final long timeoutNanos;
  private final Consumer<String> acceptedJobIds;
  private final Selector selector;
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER);
  private final ArrayDeque<Connection> idle = new ArrayDeque<>();
  private final List<Connection> open = new ArrayList<>();
  private long nextRequest;
  private int busy;
  private int connecting;
  private long connectBackoffUntil = Long.MIN_VALUE;
  private StepRecorder recorder;
  private volatile boolean halted;

  /** One keep-alive connection and the request it carries, if any. */
  private static final class Connection {
    final SocketChannel channel;
    final ResponseParser parser = new ResponseParser();
    SelectionKey key;
    boolean connecting;
    boolean busy;
    ByteBuffer out;
    long intendedNanos;
    long sentNanos;

    Connection(SocketChannel channel) {
      this.channel = channel;
    }
  }

  /**
   * @param requests whole requests, sent in turn
   * @param maxConnections the most connections it opens
   * @param timeout a request without a response after this long counts as timed out (and its
   *     connection is closed)
   * @param acceptedJobIds receives the job ID of every {@code 202}
   */
  public OpenLoopClient(
      InetSocketAddress address,
      List<ByteBuffer> requests,
      int maxConnections,
      Duration timeout,
      Consumer<String> acceptedJobIds) {
    this.address = address;
    this.requests = List.copyOf(requests);
    this.maxConnections = maxConnections;
    this.timeoutNanos = timeout.toNanos();
    this.acceptedJobIds = acceptedJobIds;
    try {
      this.selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a selector", e);
    }
  }

  /**
   * Runs one step on the calling thread: sends the schedule's requests on time, then waits up to
   * {@code drain} after the schedule's end for the responses. A request still unanswered then is
   * counted as timed out, one never sent as not sent.
   */
  public StepRecorder run(Schedule schedule, Duration drain) throws IOException {
    recorder = new StepRecorder();
    long count = schedule.count();
    long deadline = schedule.endNanos() + drain.toNanos();
    long next = 0;
    long lastTimeoutCheck = System.nanoTime();
    while (true) {
      long now = System.nanoTime();
      long due = schedule.dueAt(now);
      next = sendDue(schedule, next, due);
      if (next < due) {
        openConnections((int) Math.min(Integer.MAX_VALUE, due - next), now);
      }
      if (next >= count && busy == 0) {
        break;
      }
      if (now >= deadline || halted) {
        abandon(count - next);
        break;
      }
      if (now - lastTimeoutCheck >= POLL_NANOS) {
        expire(now);
        lastTimeoutCheck = now;
      }
      long wait =
          next < due || next >= count
              ? POLL_NANOS
              : Math.min(POLL_NANOS, schedule.intendedNanos(next) - now);
      await(wait);
    }
    recorder.connections(open.size());
    return recorder;
  }

  private long sendDue(Schedule schedule, long next, long due) {
    while (next < due) {
      Connection connection = idle.pollFirst();
      if (connection == null) {
        return next;
      }
      send(connection, schedule.intendedNanos(next));
      next++;
    }
    return next;
  }

  private void send(Connection connection, long intendedNanos) {
    ByteBuffer request = requests.get((int) (nextRequest++ % requests.size())).duplicate();
    connection.busy = true;
    busy++;
    connection.out = request;
    connection.intendedNanos = intendedNanos;
    connection.sentNanos = System.nanoTime();
    recorder.sent(intendedNanos, connection.sentNanos);
    write(connection);
  }

  private void write(Connection connection) {
    try {
      connection.channel.write(connection.out);
      int ops = connection.out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : 0;
      connection.key.interestOps(ops == 0 ? SelectionKey.OP_READ : ops);
    } catch (IOException e) {
      lose(connection);
    }
  }

  private void openConnections(int wanted, long now) {
    int toOpen = Math.min(wanted - connecting, maxConnections - open.size());
    if (toOpen <= 0 || now < connectBackoffUntil) {
      return;
    }
    for (int i = 0; i < toOpen; i++) {
      if (!connect()) {
        connectBackoffUntil = now + CONNECT_BACKOFF_NANOS;
        return;
      }
    }
    recorder.connections(open.size());
  }

  private boolean connect() {
    SocketChannel channel = null;
    try {
      channel = SocketChannel.open();
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      Connection connection = new Connection(channel);
      boolean connected = channel.connect(address);
      connection.key =
          channel.register(
              selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, connection);
      open.add(connection);
      if (connected) {
        idle.addLast(connection);
      } else {
        connection.connecting = true;
        connecting++;
      }
      return true;
    } catch (IOException e) {
      recorder.connectFailed();
      closeQuietly(channel);
      return false;
    }
  }

  private void await(long nanos) throws IOException {
    int ready;
    if (nanos >= TimeUnit.MILLISECONDS.toNanos(1)) {
      ready = selector.select(TimeUnit.NANOSECONDS.toMillis(nanos));
    } else {
      ready = selector.selectNow();
      if (ready == 0 && nanos > 0) {
        LockSupport.parkNanos(nanos);
      }
    }
    if (ready > 0) {
      handleSelected();
    }
  }

  private void handleSelected() {
    Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
    while (keys.hasNext()) {
      SelectionKey key = keys.next();
      keys.remove();
      Connection connection = (Connection) key.attachment();
      if (!key.isValid()) {
        continue;
      }
      if (key.isConnectable()) {
        finishConnect(connection);
      } else {
        if (key.isWritable()) {
          write(connection);
        }
        if (key.isValid() && key.isReadable()) {
          read(connection);
        }
      }
    }
  }

  private void finishConnect(Connection connection) {
    connection.connecting = false;
    connecting--;
    try {
      connection.channel.finishConnect();
      connection.key.interestOps(SelectionKey.OP_READ);
      idle.addLast(connection);
    } catch (IOException e) {
      recorder.connectFailed();
      connectBackoffUntil = System.nanoTime() + CONNECT_BACKOFF_NANOS;
      close(connection);
    }
  }

  private void read(Connection connection) {
    readBuffer.clear();
    int n;
    try {
      n = connection.channel.read(readBuffer);
    } catch (IOException e) {
      n = -1;
    }
    if (n < 0) {
      lose(connection);
      return;
    }
    if (!connection.busy || n == 0) {
      return; // nothing asked for: ignore
    }
    readBuffer.flip();
    boolean complete;
    try {
      complete = connection.parser.feed(readBuffer);
    } catch (RuntimeException e) {
      lose(connection);
      return;
    }
    if (complete) {
      respond(connection, System.nanoTime());
    }
  }

  private void respond(Connection connection, long receivedNanos) {
    ResponseParser parser = connection.parser;
    int status = parser.status();
    recorder.responded(status, connection.intendedNanos, connection.sentNanos, receivedNanos);
    if (status == 202) {
      String id = parser.jobId();
      if (id != null) {
        acceptedJobIds.accept(id);
      }
    }
    boolean closes = parser.closesConnection();
    parser.reset();
    connection.busy = false;
    busy--;
    if (closes) {
      close(connection);
    } else {
      idle.addLast(connection);
    }
  }

  /** The connection broke: its request (if any) is lost, the connection closed. */
  private void lose(Connection connection) {
    if (connection.busy) {
      recorder.failed(Outcome.CONNECTION_LOST);
    }
    close(connection);
  }

  private void expire(long now) {
    for (Connection connection : List.copyOf(open)) {
      if (connection.busy && now - connection.sentNanos > timeoutNanos) {
        recorder.failed(Outcome.TIMED_OUT);
        close(connection);
      }
    }
  }

  private void abandon(long unsent) {
    for (Connection connection : List.copyOf(open)) {
      if (connection.busy) {
        recorder.failed(Outcome.TIMED_OUT);
        close(connection);
      }
    }
    for (long i = 0; i < unsent; i++) {
      recorder.failed(Outcome.NOT_SENT);
    }
  }

  private void close(Connection connection) {
    if (connection.busy) {
      connection.busy = false;
      busy--;
    }
    if (connection.connecting) {
      connection.connecting = false;
      connecting--;
    }
    open.remove(connection);
    idle.remove(connection);
    if (connection.key != null) {
      connection.key.cancel();
    }
    closeQuietly(connection.channel);
  }

  private static void closeQuietly(SocketChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      // closing a broken connection: nothing left to do
    }
  }

  /**
   * Makes a running step end at once (its unsent and unanswered requests counted as such), from
   * another thread: the benchmark is being stopped.
   */
  public void halt() {
    halted = true;
    selector.wakeup();
  }

  /** Whether {@link #halt()} was called. */
  public boolean halted() {
    return halted;
  }

  /** Connections open now. */
  public int connections() {
    return open.size();
  }

  @Override
  public void close() throws IOException {
    for (Connection connection : List.copyOf(open)) {
      close(connection);
    }
    selector.close();
  }
}
