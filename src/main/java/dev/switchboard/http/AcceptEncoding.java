package dev.switchboard.http;

import java.util.Locale;

/**
 * Content negotiation on {@code Accept-Encoding} (RFC 9110 §12.5.3): which of the codings we
 * offer the client takes. Pure; any thread.
 *
 * <pre>{@code
 * String coding = AcceptEncoding.choose(request.header("Accept-Encoding"), "gzip", "deflate");
 * if (coding != null) ... // compress with it and say so in Content-Encoding
 * }</pre>
 */
public final class AcceptEncoding {
  private AcceptEncoding() {}

  /**
   * The coding of {@code offered} with the highest weight in {@code header}, the earlier offered
   * one on a tie; {@code null} when none is acceptable. No header means "identity only" here, as
   * in Node's {@code accepts} (RFC 9110 would allow any coding, but a client that did not ask may
   * not decode it). A coding the header does not name takes the weight of {@code *}, if present.
   * Weight 0 (or a malformed entry, which is skipped) is "not acceptable".
   */
  public static String choose(String header, String... offered) {
    if (header == null || header.isBlank()) return null;
    String best = null;
    int bestWeight = 0;
    for (String coding : offered) {
      int w = weight(header, coding);
      if (w > bestWeight) {
        best = coding;
        bestWeight = w;
      }
    }
    return best;
  }

  /** The weight of {@code coding} in thousandths (0–1000); -1 entries are skipped. */
  private static int weight(String header, String coding) {
    int named = -1;
    int star = -1;
    for (String entry : header.split(",")) {
      int semi = entry.indexOf(';');
      String name = (semi < 0 ? entry : entry.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
      if (name.isEmpty()) continue;
      int w = semi < 0 ? 1000 : qvalue(entry.substring(semi + 1));
      if (w < 0) continue;
      if (name.equals(coding)) named = Math.max(named, w);
      else if (name.equals("*")) star = Math.max(star, w);
    }
    return named >= 0 ? named : Math.max(star, 0);
  }

  /**
   * RFC 9110 §12.4.2: {@code q=} followed by 0, 0.xxx, 1 or 1.000 (at most three decimals), as
   * thousandths; -1 when malformed. Other parameters are not defined for Accept-Encoding.
   */
  private static int qvalue(String params) {
    String p = params.trim();
    if (!(p.startsWith("q=") || p.startsWith("Q="))) return -1;
    String v = p.substring(2).trim();
    if (!v.matches("0(\\.[0-9]{0,3})?|1(\\.0{0,3})?")) return -1;
    if (v.charAt(0) == '1') return 1000;
    String decimals = v.length() > 2 ? v.substring(2) : "";
    while (decimals.length() < 3) decimals += "0";
    return Integer.parseInt(decimals);
  }
}
