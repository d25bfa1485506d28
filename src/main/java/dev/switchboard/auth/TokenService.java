package dev.switchboard.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.scheduling.Scheduler;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Issues and checks our access tokens: HS256 JWTs (RFC 7519) signed with nimbus-jose-jwt.
 *
 * <pre>
 * header  {"typ":"sb-access+jwt","alg":"HS256"}
 * claims  {"iss":"switchboard","aud":"switchboard-chat","sub":user id,"sid":session id,
 *          "name":username,"jti":random,"iat":…,"exp":…}
 * </pre>
 *
 * <p>Checks, in this order, each refusing with {@link AuthFailure#AUTH_FAILED} unless said:
 * length (RFC 8725 §3.3, before any parsing; CVE-2025-53864 was a parser stack overflow), the
 * one canonical spelling of a compact JWS (RFC 7515 §2, §7.1: {@link #isCanonicalCompactHs256}),
 * {@code SignedJWT.parse} — never the generic {@code JWTParser}, which returns unsecured
 * {@code alg:none} tokens (auth-pitfalls §2) —, the algorithm pinned to HS256 whatever the header
 * says (RFC 8725 §3.1), no {@code crit} (§3.6), the MAC (constant-time inside nimbus), then
 * {@code exp}: a token whose MAC is ours and whose expiry has passed is
 * {@link AuthFailure#TOKEN_EXPIRED} — once {@code exp}, {@code iat} and {@code nbf} proved to be
 * integer NumericDates (RFC 7519 §2; we issue whole seconds and accept nothing else); only now are the other claims trusted enough to check:
 * explicit type (§3.11), issuer and audience (§3.8, §3.9), {@code sub}, {@code sid}, {@code jti}
 * present, {@code iat} not in the future and not older than the lifetime we issue, {@code nbf}
 * passed. Expiry and {@code iat} allow {@code clockSkew} (5 s). The session itself is checked by
 * the caller ({@link Authenticator}).
 *
 * <p>Threading: immutable after construction; any thread.
 */
public final class TokenService {
  static final JOSEObjectType TYPE = new JOSEObjectType("sb-access+jwt");

  private final MACSigner signer;
  private final JWSVerifier verifier;
  private final Scheduler clock;
  private final AuthOptions options;
  private final SecureRandom random = new SecureRandom();

  /** Tokens signed and checked with {@code secret}, timed by {@code clock}. */
  public TokenService(JwtSecret secret, Scheduler clock, AuthOptions options) {
    this(secret, clock, options, v -> v);
  }

  /** Tests: {@code spy} wraps the MAC verifier, to see whether a refusal came before the MAC. */
  TokenService(JwtSecret secret, Scheduler clock, AuthOptions options, UnaryOperator<JWSVerifier> spy) {
    try {
      byte[] key = secret.bytes();
      this.signer = new MACSigner(key);
      this.verifier = spy.apply(new MACVerifier(key));
    } catch (JOSEException e) {
      throw new IllegalArgumentException("the JWT secret was refused: " + e.getMessage());
    }
    this.clock = clock;
    this.options = options;
  }

  /** What a verified token says. */
  public record Claims(String userId, String sessionId, String tokenId, long issuedAtMillis, long expiresAtMillis) {}

  /** A signed token and its expiry. */
  public record Issued(String token, long expiresAtMillis) {}

  /** A new token for {@code session}, valid for {@code tokenTtl} from now. */
  public Issued issue(Session session, long expiresAtMillis) {
    long now = clock.currentTimeMillis();
    byte[] jti = new byte[12];
    random.nextBytes(jti);
    // Whole seconds: JWT NumericDates are seconds (RFC 7519 §2), so the claim and our records agree.
    long iat = now / 1000 * 1000;
    long exp = expiresAtMillis / 1000 * 1000;
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(options.issuer())
        .audience(options.audience())
        .subject(session.userId())
        .claim("sid", session.id())
        .claim("name", session.username())
        .jwtID(Base64.getUrlEncoder().withoutPadding().encodeToString(jti))
        .issueTime(new Date(iat))
        .expirationTime(new Date(exp))
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(TYPE).build(), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("signing failed", e);
    }
    return new Issued(jwt.serialize(), exp);
  }

  /** The expiry a token issued now would get. */
  public long expiryFromNow() {
    return (clock.currentTimeMillis() + options.tokenTtl().toMillis()) / 1000 * 1000;
  }

  /**
   * Checks {@code token} as described above. With {@code allowExpired} an expired token whose
   * signature is ours passes (logout: ending a session is always allowed).
   */
  public Claims verify(String token, boolean allowExpired) throws AuthException {
    if (token == null || token.isEmpty()) throw new AuthException(AuthFailure.TOKEN_REQUIRED);
    // One spelling per token, checked before anything is decoded or any MAC computed (a loop
    // over at most maxTokenChars characters): what fails here costs no more than reading it.
    if (token.length() > options.maxTokenChars() || !isCanonicalCompactHs256(token)) throw failed();
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      throw failed();
    }
    JWSHeader header = jwt.getHeader();
    if (!JWSAlgorithm.HS256.equals(header.getAlgorithm())) throw failed();
    if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) throw failed();
    try {
      if (!jwt.verify(verifier)) throw failed();
    } catch (JOSEException | IllegalStateException e) {
      throw failed();
    }
    JWTClaimsSet c;
    try {
      // Parsed once, here: the NumericDates are checked on the JSON values as sent, because
      // nimbus turns 1.7e9, 1700000000.5 and 1e20 into a Date without complaint.
      Map<String, Object> json = jwt.getPayload().toJSONObject();
      if (json == null || !isNumericDateOrAbsent(json.get("exp")) || !isNumericDateOrAbsent(json.get("iat"))
          || !isNumericDateOrAbsent(json.get("nbf"))) {
        throw failed();
      }
      c = JWTClaimsSet.parse(json);
    } catch (ParseException e) {
      throw failed();
    }
    long now = clock.currentTimeMillis();
    long skew = options.clockSkew().toMillis();
    Date exp = c.getExpirationTime();
    if (exp == null) throw failed();
    if (!allowExpired && now >= exp.getTime() + skew) throw new AuthException(AuthFailure.TOKEN_EXPIRED);

    if (!TYPE.equals(header.getType())) throw failed();
    if (!options.issuer().equals(c.getIssuer())) throw failed();
    List<String> aud = c.getAudience();
    if (aud == null || aud.size() != 1 || !options.audience().equals(aud.get(0))) throw failed();
    String sub = c.getSubject();
    String sid = stringClaim(c, "sid");
    String jti = c.getJWTID();
    if (sub == null || sub.isEmpty() || sid == null || sid.isEmpty() || jti == null) throw failed();
    Date iat = c.getIssueTime();
    if (iat == null || iat.getTime() > now + skew) throw failed();
    if (exp.getTime() - iat.getTime() > options.tokenTtl().toMillis() + skew) throw failed();
    Date nbf = c.getNotBeforeTime();
    if (nbf != null && nbf.getTime() > now + skew) throw failed();
    return new Claims(sub, sid, jti, iat.getTime(), exp.getTime());
  }

  /** Characters of an HS256 signature in base64url without padding: 32 bytes, 43 characters. */
  static final int HS256_SIGNATURE_CHARS = 43;

  /**
   * Whether {@code token} is a JWS compact serialisation in its one canonical spelling: three
   * non-empty base64url segments joined by two dots, i.e.
   * {@code ^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$} — RFC 7515 §7.1 with §2's
   * base64url: no {@code =} padding, no {@code +} or {@code /} of standard base64, no whitespace
   * or line breaks, nothing after the signature (a trailing dot). nimbus decodes leniently, so
   * each of those spellings of one of our tokens carried a valid MAC. The signature segment is
   * also held to its only spelling: an HS256 MAC is 32 bytes, 43 characters whose last one
   * carries 2 unused bits that must be zero (RFC 4648 §3.5, "canonical encoding") — otherwise
   * four last characters decode to the same MAC. The header and payload need no such rule: the
   * MAC covers their characters as sent, so another spelling of them fails the MAC.
   */
  static boolean isCanonicalCompactHs256(String token) {
    int dots = 0;
    int segmentStart = 0;
    int n = token.length();
    for (int i = 0; i < n; i++) {
      char ch = token.charAt(i);
      if (ch == '.') {
        if (++dots > 2 || i == segmentStart) return false;
        segmentStart = i + 1;
      } else if (base64UrlValue(ch) < 0) {
        return false;
      }
    }
    if (dots != 2 || n - segmentStart != HS256_SIGNATURE_CHARS) return false;
    return (base64UrlValue(token.charAt(n - 1)) & 0b11) == 0;
  }

  /** The 6-bit value of a base64url character (RFC 4648 §5), or -1 for any other character. */
  private static int base64UrlValue(char ch) {
    if (ch >= 'A' && ch <= 'Z') return ch - 'A';
    if (ch >= 'a' && ch <= 'z') return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9') return ch - '0' + 52;
    if (ch == '-') return 62;
    if (ch == '_') return 63;
    return -1;
  }

  /** The last second of 9999-12-31 UTC: any later NumericDate is nonsense, and ×1000 could overflow. */
  private static final long MAX_NUMERIC_DATE = 253_402_300_799L;

  /**
   * RFC 7519 §2 allows a NumericDate to be non-integer; our tokens carry whole seconds and we
   * accept nothing else: a JSON integer (nimbus gives {@code Long} for it, {@code Double} for
   * {@code 1.7e9} or {@code 1700000000.0}, which are refused, as are strings), from 0 to year 9999.
   */
  private static boolean isNumericDateOrAbsent(Object v) {
    if (v == null) return true;
    return v instanceof Long l && l >= 0 && l <= MAX_NUMERIC_DATE;
  }

  private static String stringClaim(JWTClaimsSet c, String name) {
    Object v = c.getClaim(name);
    return v instanceof String s ? s : null;
  }

  private static AuthException failed() {
    return new AuthException(AuthFailure.AUTH_FAILED);
  }
}
