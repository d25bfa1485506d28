package dev.switchboard.chat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The chat's limits, with the values of chat.md as {@link #DEFAULTS}.
 *
 * @param maxRoomsPerSocket chat rooms one socket may be in, {@code general} included (chat.md: 20,
 *     "Too many rooms"); bounds the room index a single connection can grow
 * @param maxMessageLength code points in a message after trimming (chat.md: 500); bounds what one
 *     message costs every recipient
 * @param messages the bucket shared by {@code chat-message} and {@code private-message} (chat.md:
 *     10, one token back per second); bounds the fan-out one socket can cause
 * @param typing the bucket of {@code typing} (chat.md: 5, two tokens back per second); typing
 *     events over it are dropped silently
 * @param history the bucket shared by {@code get-history} and {@code get-private-history} (chat.md:
 *     10, two tokens back per second); bounds the share of the history readers one socket can take
 * @param messageIds makes the {@code id} of every relayed message; called from any thread, so it
 *     must be thread-safe, and its ids must not repeat for the server's lifetime
 */
public record ChatOptions(
    int maxRoomsPerSocket,
    int maxMessageLength,
    RateLimit messages,
    RateLimit typing,
    RateLimit history,
    Supplier<String> messageIds) {

  public static final ChatOptions DEFAULTS = new ChatOptions(
      20,
      500,
      new RateLimit(10, Duration.ofSeconds(1)),
      new RateLimit(5, Duration.ofMillis(500)),
      new RateLimit(10, Duration.ofMillis(500)),
      sequentialIds());

  public ChatOptions {
    if (maxRoomsPerSocket < 1) throw new IllegalArgumentException("maxRoomsPerSocket must be at least 1");
    if (maxMessageLength < 1) throw new IllegalArgumentException("maxMessageLength must be at least 1");
    if (messages == null || typing == null || history == null || messageIds == null) throw new IllegalArgumentException("null option");
  }

  /**
   * Ids "1", "2", … in base 36: unique for the life of the process, which is what chat.md asks;
   * they are not secrets (every recipient sees them), so they need not be random.
   */
  public static Supplier<String> sequentialIds() {
    AtomicLong next = new AtomicLong();
    return () -> Long.toString(next.incrementAndGet(), 36);
  }

  public ChatOptions withMaxRoomsPerSocket(int n) {
    return new ChatOptions(n, maxMessageLength, messages, typing, history, messageIds);
  }

  public ChatOptions withMaxMessageLength(int n) {
    return new ChatOptions(maxRoomsPerSocket, n, messages, typing, history, messageIds);
  }

  public ChatOptions withMessages(RateLimit r) {
    return new ChatOptions(maxRoomsPerSocket, maxMessageLength, r, typing, history, messageIds);
  }

  public ChatOptions withTyping(RateLimit r) {
    return new ChatOptions(maxRoomsPerSocket, maxMessageLength, messages, r, history, messageIds);
  }

  public ChatOptions withMessageIds(Supplier<String> ids) {
    return new ChatOptions(maxRoomsPerSocket, maxMessageLength, messages, typing, history, ids);
  }

  public ChatOptions withHistory(RateLimit r) {
    return new ChatOptions(maxRoomsPerSocket, maxMessageLength, messages, typing, r, messageIds);
  }
}
