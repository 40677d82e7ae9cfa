package io.sluice.bench.webhooks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The webhook benchmark's receivers in a process of their own: receiving is the client's work, not
 * Sluice's, so it does not run in the JVM whose throughput is measured. Starts a fast receiver
 * (answers at once) and a slow one (answers after the first argument's milliseconds), prints their
 * URLs and answers line commands on standard input: {@code count fast|slow}, {@code receipts
 * fast|slow} (one receipt a line, then {@code end}), {@code clear}. Ends when its input ends.
 */
public final class ReceiverProcess {
  private ReceiverProcess() {}

  public static void main(String[] args) throws IOException {
    Duration slowAnswer = Duration.ofMillis(Long.parseLong(args[0]));
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    try (Receiver fast = Receiver.start(Duration.ZERO);
        Receiver slow = Receiver.start(slowAnswer)) {
      Map<String, Receiver> receivers = Map.of("fast", fast, "slow", slow);
      out.println("fast " + fast.url());
      out.println("slow " + slow.url());
      out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        answer(line.strip().split(" "), receivers, out);
        out.flush();
      }
    }
  }

  private static void answer(String[] command, Map<String, Receiver> receivers, PrintStream out) {
    switch (command[0]) {
      case "count" -> out.println(receivers.get(command[1]).count());
      case "receipts" -> {
        receivers.get(command[1]).receipts().forEach(r -> out.println(RemoteReceivers.line(r)));
        out.println("end");
      }
      case "clear" -> {
        receivers.values().forEach(Receiver::clear);
        out.println("ok");
      }
      default -> out.println("unknown command " + command[0]);
    }
  }
}
