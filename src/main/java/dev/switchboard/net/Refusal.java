package dev.switchboard.net;

/**
 * Why the net layer refused a connection or a request because of a limit, counted per reason by
 * {@link NetServer#refusals} (and so in {@code /metrics}). Each has the label it is counted under.
 */
public enum Refusal {
  /** A connection over {@link NetOptions#maxConnectionsPerAddress()}: closed right after accept. */
  CONNECTIONS_PER_ADDRESS("connections_per_address"),
  /** A connection over {@link NetOptions#maxNewConnectionsPerSecondPerAddress()}: closed right after accept. */
  CONNECTION_RATE_PER_ADDRESS("connection_rate_per_address"),
  /** A body over its route's limit: 413 at the head, or at the chunk that crosses it. */
  BODY_TOO_LARGE("body_too_large"),
  /** A body whose buffer would cross {@link NetOptions#maxBufferedBodyBytes()}: 503 with Retry-After. */
  BODY_BUDGET("body_budget"),
  /** A body slower than {@link NetOptions#minBodyBytesPerSecond()} after the grace period: 408. */
  SLOW_BODY("slow_body");

  private final String label;

  Refusal(String label) {
    this.label = label;
  }

  /** The reason's label in {@code /metrics} ({@code reason="…"}). */
  public String label() {
    return label;
  }
}
