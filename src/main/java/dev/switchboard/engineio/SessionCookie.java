package dev.switchboard.engineio;

import dev.switchboard.http.Tokens;
import java.time.Duration;
import java.util.Objects;

/**
 * Engine.IO's optional session cookie, Node's {@code cookie} server option: when set, the answer
 * to every handshake (the first polling GET, or the WebSocket 101) carries {@code Set-Cookie} with
 * the new session's id, so that a load balancer routing by cookie can keep a session on its node
 * (the Socket.IO documentation's HAProxy example, {@code cookie io prefix}). Off by default, as
 * in Engine.IO v4. {@link #DEFAULT} is what Node's {@code cookie: true} gives:
 * {@code io=<sid>; Path=/; HttpOnly; SameSite=Lax}.
 *
 * <p>The attributes are written in the order of RFC 6265 §4.1.1's grammar as Node's
 * {@code cookie} package writes them (Max-Age, Domain, Path, HttpOnly, Secure, SameSite). The sid
 * is base64url (engine-io.md, "Handshake"), a valid cookie-value as it is.
 *
 * @param name the cookie's name, an RFC 9110 token ({@code io} by default)
 * @param path its {@code Path}, or null for none ({@code /} by default)
 * @param domain its {@code Domain}, or null for none
 * @param maxAge its {@code Max-Age}, or null for a session cookie
 * @param httpOnly whether it is {@code HttpOnly} (scripts cannot read it)
 * @param secure whether it is {@code Secure} (sent over HTTPS only)
 * @param sameSite {@code "Strict"}, {@code "Lax"} or {@code "None"}, or null for none
 */
public record SessionCookie(String name, String path, String domain, Duration maxAge, boolean httpOnly,
    boolean secure, String sameSite) {

  /** Node's {@code cookie: true}: {@code io}, {@code Path=/}, {@code HttpOnly}, {@code SameSite=Lax}. */
  public static final SessionCookie DEFAULT = new SessionCookie("io", "/", null, null, true, false, "Lax");

  public SessionCookie {
    Objects.requireNonNull(name, "name");
    if (!Tokens.isToken(name)) {
      throw new IllegalArgumentException("cookie name must be an RFC 9110 token: " + name);
    }
    checkAttribute(path, "path");
    checkAttribute(domain, "domain");
    if (maxAge != null && maxAge.isNegative()) throw new IllegalArgumentException("maxAge < 0: " + maxAge);
    if (sameSite != null && !sameSite.equals("Strict") && !sameSite.equals("Lax") && !sameSite.equals("None")) {
      throw new IllegalArgumentException("sameSite must be Strict, Lax or None: " + sameSite);
    }
  }

  /** The same cookie with another name. */
  public SessionCookie withName(String newName) {
    return new SessionCookie(newName, path, domain, maxAge, httpOnly, secure, sameSite);
  }

  /** The same cookie, {@code Secure} or not. */
  public SessionCookie withSecure(boolean isSecure) {
    return new SessionCookie(name, path, domain, maxAge, httpOnly, isSecure, sameSite);
  }

  /** The {@code Set-Cookie} header value for session {@code sid}. */
  public String headerValue(String sid) {
    StringBuilder sb = new StringBuilder(name.length() + sid.length() + 48).append(name).append('=').append(sid);
    if (maxAge != null) sb.append("; Max-Age=").append(maxAge.toSeconds());
    if (domain != null) sb.append("; Domain=").append(domain);
    if (path != null) sb.append("; Path=").append(path);
    if (httpOnly) sb.append("; HttpOnly");
    if (secure) sb.append("; Secure");
    if (sameSite != null) sb.append("; SameSite=").append(sameSite);
    return sb.toString();
  }

  /** RFC 6265 §4.1.1 av-octet: printable ASCII except ';' (and no control characters). */
  private static void checkAttribute(String value, String what) {
    if (value == null) return;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e || c == ';') throw new IllegalArgumentException("cookie " + what + " has a forbidden character");
    }
  }
}
