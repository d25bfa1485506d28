package dev.switchboard.websocket;

/**
 * What a server is willing to do with permessage-deflate (RFC 7692) when a client offers it.
 * Whether the extension is on at all is the caller's choice (Engine.IO's {@code perMessageDeflate},
 * off by default as in Node); these are its settings once on.
 *
 * @param threshold smallest message payload, in bytes, that is sent compressed; smaller ones go
 *     as they are (RFC 7692 §6 lets each message choose). 1024 by default, the value of Node's
 *     engine.io and of {@code ws}.
 * @param serverNoContextTakeover ask for {@code server_no_context_takeover} in every answer
 *     (RFC 7692 §7.1.1.1): each message we send is compressed on its own. A connection then keeps
 *     no compressor of its own (they are pooled) and a broadcast is compressed once for all its
 *     recipients; the price is a worse ratio for small, similar messages. Off by default, as in ws.
 * @param clientNoContextTakeover ask for {@code client_no_context_takeover} (RFC 7692 §7.1.1.2):
 *     the client compresses each message on its own, so our inflater's window is reset after each
 *     message. Off by default, as in ws.
 */
public record DeflateOptions(int threshold, boolean serverNoContextTakeover, boolean clientNoContextTakeover) {
  /** Node's defaults: threshold 1024 bytes, context takeover in both directions. */
  public static final DeflateOptions DEFAULTS = new DeflateOptions(1024, false, false);

  /** Checks the threshold. */
  public DeflateOptions {
    if (threshold < 0) throw new IllegalArgumentException("threshold must not be negative: " + threshold);
  }
}
