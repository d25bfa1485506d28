package dev.switchboard.http;

/**
 * Strings that parsers may share between requests: the last value seen of each header field
 * whose values are alike across clients (Host, Upgrade, User-Agent, Origin…) and the last request
 * target. A WebSocket session keeps its handshake's headers for its whole life, and these
 * strings were a large part of an idle connection's heap (BENCHMARKS.md, idle memory); handing
 * out the previous, equal string instead of a new one keeps one copy for thousands of clients.
 *
 * <p>Threading: not thread-safe — one table per thread. The server gives each I/O loop its own,
 * used by the parsers of that loop's connections; a parser made without one gets a private
 * table (it then shares only with itself).
 */
public final class SharedStrings {
  final String[] lastValues;
  String lastTarget;

  public SharedStrings() {
    this.lastValues = new String[HttpRequestParser.sharedValueSlots()];
  }
}
