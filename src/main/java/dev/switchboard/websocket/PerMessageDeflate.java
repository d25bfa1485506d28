package dev.switchboard.websocket;

import dev.switchboard.http.Tokens;
import java.util.List;

/**
 * permessage-deflate (RFC 7692) as negotiated for one connection: which side resets its
 * compression context after each message, and the server's threshold. {@link #negotiate} reads the
 * client's offers and answers the first one we can honour; {@link #extensionHeader} is the value
 * of the 101's {@code Sec-WebSocket-Extensions}.
 *
 * <p>What we can honour: {@code java.util.zip.Deflater} always compresses with a 32 KiB window
 * (15 bits), so an offer whose {@code server_max_window_bits} is below 15 is skipped (RFC 7692
 * §7.1.2.1: the server may only answer with that value or a smaller one); one at 15 is accepted
 * and echoed. {@code client_max_window_bits} in any form is accepted and never answered: our
 * 15-bit inflater reads any window the client uses (§7.1.2.2 lets the server leave it out).
 *
 * <pre>{@code
 * PerMessageDeflate d = PerMessageDeflate.negotiate(
 *     request.headers().all("Sec-WebSocket-Extensions"), DeflateOptions.DEFAULTS);
 * // null: no offer we can take; otherwise add d.extensionHeader() to the 101
 * }</pre>
 *
 * @param serverNoContextTakeover we reset our compressor after each message (§7.1.1.1)
 * @param clientNoContextTakeover the client resets its compressor after each message (§7.1.1.2),
 *     so we reset our inflater too
 * @param threshold smallest payload we compress, in bytes ({@link DeflateOptions#threshold()})
 * @param extensionHeader the answer, e.g. {@code permessage-deflate; server_no_context_takeover}
 */
public record PerMessageDeflate(boolean serverNoContextTakeover, boolean clientNoContextTakeover, int threshold,
    String extensionHeader) {
  /** RFC 7692 §7: the extension's registered name. */
  public static final String NAME = "permessage-deflate";
  /** The only window we compress with (§7.1.2.1); Java's Deflater has no other. */
  static final int OUR_WINDOW_BITS = 15;

  /** Whether a payload of {@code length} bytes is worth compressing. */
  public boolean compresses(int length) {
    return length >= threshold;
  }

  /**
   * Picks the first permessage-deflate offer in {@code headerValues} (every
   * {@code Sec-WebSocket-Extensions} line, in order) that we can accept, or returns null to decline
   * the extension. Never throws: RFC 7692 §5 makes declining the answer to an offer with an
   * unknown, repeated or invalid parameter, and a line that does not parse as RFC 6455 §9.1's
   * grammar is declined from the bad element on (ws answers that case with a 400; declining keeps
   * the client connected, uncompressed, and is what §5 asks for offers).
   */
  public static PerMessageDeflate negotiate(List<String> headerValues, DeflateOptions options) {
    if (headerValues == null) return null;
    for (String value : headerValues) {
      PerMessageDeflate accepted = new OfferParser(value, options).firstAccepted();
      if (accepted != null) return accepted;
    }
    return null;
  }

  /**
   * Reads one header value as RFC 6455 §9.1's {@code extension-list}: comma-separated extensions,
   * each a token and {@code ;}-separated parameters, each a token with an optional token or
   * quoted-string value. One pass, no regex, so a long header costs linear time.
   */
  private static final class OfferParser {
    private final String s;
    private final DeflateOptions options;
    private int i;

    OfferParser(String s, DeflateOptions options) {
      this.s = s;
      this.options = options;
    }

    PerMessageDeflate firstAccepted() {
      while (true) {
        skipSpacesAndCommas();
        if (i >= s.length()) return null;
        String name = token();
        if (name == null) return null; // malformed from here on: decline the rest
        Offer offer = NAME.equals(name) ? new Offer() : null;
        while (true) {
          skipSpaces();
          if (i >= s.length() || s.charAt(i) == ',') break;
          if (s.charAt(i) != ';') return null;
          i++;
          skipSpaces();
          String param = token();
          if (param == null) return null;
          skipSpaces();
          String paramValue = null;
          if (i < s.length() && s.charAt(i) == '=') {
            i++;
            skipSpaces();
            paramValue = i < s.length() && s.charAt(i) == '"' ? quoted() : token();
            if (paramValue == null) return null;
          }
          if (offer != null) offer.add(param, paramValue);
        }
        if (offer != null) {
          PerMessageDeflate accepted = offer.accept(options);
          if (accepted != null) return accepted;
        }
      }
    }

    private void skipSpaces() {
      while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++;
    }

    private void skipSpacesAndCommas() {
      while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == ',')) i++;
    }

    /** RFC 7230 §3.2.6 token, or null if none starts here. */
    private String token() {
      int start = i;
      while (i < s.length() && Tokens.isTchar(s.charAt(i))) i++;
      return i == start ? null : s.substring(start, i);
    }

    /**
     * A quoted-string; RFC 6455 §9.1: once unquoted, the value must itself be a token, so
     * anything else is null (malformed).
     */
    private String quoted() {
      StringBuilder b = new StringBuilder();
      i++; // opening quote
      while (i < s.length()) {
        char c = s.charAt(i++);
        if (c == '"') {
          String v = b.toString();
          for (int k = 0; k < v.length(); k++) if (!Tokens.isTchar(v.charAt(k))) return null;
          return v.isEmpty() ? null : v;
        }
        if (c == '\\') {
          if (i >= s.length()) return null;
          c = s.charAt(i++);
        }
        b.append(c);
      }
      return null; // unterminated
    }

  }

  /** One permessage-deflate offer's parameters, checked as RFC 7692 §7.1 defines them. */
  private static final class Offer {
    private boolean serverNoTakeover;
    private boolean clientNoTakeover;
    private int serverMaxWindowBits; // 0: absent
    private boolean clientMaxWindowBits;
    /** Set by the first reason to decline (§5). */
    private boolean invalid;

    void add(String name, String value) {
      switch (name) {
        // §7.1.1.1, §7.1.1.2: no value allowed; §5: a repeated parameter declines the offer.
        case "server_no_context_takeover" -> {
          if (value != null || serverNoTakeover) invalid = true;
          serverNoTakeover = true;
        }
        case "client_no_context_takeover" -> {
          if (value != null || clientNoTakeover) invalid = true;
          clientNoTakeover = true;
        }
        // §7.1.2.1: a value is required, 8 to 15.
        case "server_max_window_bits" -> {
          int bits = windowBits(value);
          if (bits == 0 || serverMaxWindowBits != 0) invalid = true;
          serverMaxWindowBits = bits;
        }
        // §7.1.2.2: a value is optional, 8 to 15 when present.
        case "client_max_window_bits" -> {
          if ((value != null && windowBits(value) == 0) || clientMaxWindowBits) invalid = true;
          clientMaxWindowBits = true;
        }
        // §5: a parameter not defined for an offer declines it.
        default -> invalid = true;
      }
    }

    /** §7.1.2.1, §7.1.2.2: a decimal integer from 8 to 15 without leading zeros; 0 if not. */
    private static int windowBits(String value) {
      if (value == null || value.isEmpty() || value.length() > 2 || value.charAt(0) == '0') return 0;
      int bits = 0;
      for (int k = 0; k < value.length(); k++) {
        char c = value.charAt(k);
        if (c < '0' || c > '9') return 0;
        bits = bits * 10 + (c - '0');
      }
      return bits >= 8 && bits <= 15 ? bits : 0;
    }

    PerMessageDeflate accept(DeflateOptions options) {
      if (invalid) return null;
      // §7.1.2.1: we can only compress with a 15-bit window (Java's Deflater), so a smaller limit
      // on our window is a configuration we do not support: this offer is skipped (§5).
      if (serverMaxWindowBits != 0 && serverMaxWindowBits < OUR_WINDOW_BITS) return null;
      boolean serverReset = serverNoTakeover || options.serverNoContextTakeover();
      boolean clientReset = clientNoTakeover || options.clientNoContextTakeover();
      StringBuilder header = new StringBuilder(NAME);
      // §7.1.1.1: offered, it must be in the answer; not offered, the server may still add it.
      if (serverReset) header.append("; server_no_context_takeover");
      // §7.1.1.2: the server may add it whether offered or not; we echo an offered one, so that
      // both sides agree that the client resets its context.
      if (clientReset) header.append("; client_no_context_takeover");
      // §7.1.2.1: accepting an offered server_max_window_bits means answering it, here with 15.
      if (serverMaxWindowBits != 0) header.append("; server_max_window_bits=").append(OUR_WINDOW_BITS);
      // client_max_window_bits is never answered (§7.1.2.2: optional); we inflate any window.
      return new PerMessageDeflate(serverReset, clientReset, options.threshold(), header.toString());
    }
  }
}
