package io.sluice.simulator;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The most recent realtime calls the simulator received (chat completions, messages,
 * generateContent), as their conversations: what a test needs to see what Sluice sent, e.g. the
 * repair prompt of a structured-output repair call. Bounded ({@value #CAPACITY} calls, the oldest
 * dropped first); thread-safe. Also served as {@code GET /_sim/requests}.
 */
public final class RequestLog {
  /** The most calls kept. */
  public static final int CAPACITY = 1000;

  private final Deque<Call> calls = new ArrayDeque<>();

  /**
   * One call.
   *
   * @param api {@code openai}, {@code anthropic} or {@code gemini}
   * @param model the model named in the call
   * @param messages its messages in order, system instructions included
   */
  public record Call(String api, String model, List<Message> messages) {
    public Call {
      messages = List.copyOf(messages);
    }

    /** The text of its last message of {@code role}, or {@code null} when it has none. */
    public String lastTextOf(String role) {
      for (int i = messages.size() - 1; i >= 0; i--) {
        if (messages.get(i).role().equals(role)) {
          return messages.get(i).text();
        }
      }
      return null;
    }
  }

  /**
   * One message of a call.
   *
   * @param role its role as the API names it ({@code user}, {@code assistant}, Gemini's {@code
   *     model}, {@code system})
   * @param text its text
   */
  public record Message(String role, String text) {}

  /** Records a call. */
  public synchronized void record(Call call) {
    if (calls.size() == CAPACITY) {
      calls.removeFirst();
    }
    calls.addLast(call);
  }

  /** The calls kept, oldest first. */
  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The calls kept for {@code model}, oldest first. */
  public List<Call> calls(String model) {
    return calls().stream().filter(call -> call.model().equals(model)).toList();
  }

  /** Forgets every call. */
  public synchronized void clear() {
    calls.clear();
  }
}
