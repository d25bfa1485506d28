package dev.switchboard.http;

/**
 * What request bodies may cost, asked by {@link HttpRequestParser} before it buffers a body byte:
 * the largest body the request's route takes (chosen from its head, so a login cannot make the
 * server buffer an Engine.IO-sized body) and a budget of bytes shared by every body being
 * received (spec-notes/http.md, "Body limits per route").
 *
 * <p>Threading: {@link #maxBodyBytes} is called on the thread that feeds the parser (an I/O
 * thread: it must be cheap and never block); {@link #reserve} and {@link #release} may be called
 * from several parsers at once, so a shared budget must be thread-safe.
 */
public interface BodyPolicy {

  /** No route limit beyond {@link HttpLimits#maxBodyBytes()} and no shared budget. */
  BodyPolicy UNLIMITED = new BodyPolicy() {
    @Override
    public long maxBodyBytes(HttpRequest head) {
      return Long.MAX_VALUE;
    }

    @Override
    public boolean reserve(int bytes) {
      return true;
    }

    @Override
    public void release(int bytes) { }
  };

  /**
   * The largest body {@code head} (its request line and headers, an empty body) may carry; the
   * parser applies the smaller of this and {@link HttpLimits#maxBodyBytes()}.
   */
  long maxBodyBytes(HttpRequest head);

  /**
   * Takes {@code bytes} more of the shared budget for a body's buffer; false when that would
   * cross it (the parser then refuses the request with 503).
   */
  boolean reserve(int bytes);

  /** Gives back {@code bytes} taken by {@link #reserve}. */
  void release(int bytes);
}
