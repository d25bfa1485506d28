package dev.switchboard.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
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
 * length (RFC 8725 §3.3, before any parsing; CVE-2025-53864 was a parser stack overflow),
 * {@code SignedJWT.parse} — never the generic {@code JWTParser}, which returns unsecured
 * {@code alg:none} tokens (auth-pitfalls §2) —, the algorithm pinned to HS256 whatever the header
 * says (RFC 8725 §3.1), no {@code crit} (§3.6), the MAC (constant-time inside nimbus), then
 * {@code exp}: a token whose MAC is ours and whose expiry has passed is
 * {@link AuthFailure#TOKEN_EXPIRED}; only now are the other claims trusted enough to check:
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
  private final MACVerifier verifier;
  private final Scheduler clock;
  private final AuthOptions options;
  private final SecureRandom random = new SecureRandom();

  public TokenService(JwtSecret secret, Scheduler clock, AuthOptions options) {
    try {
      byte[] key = secret.bytes();
      this.signer = new MACSigner(key);
      this.verifier = new MACVerifier(key);
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
    if (token.length() > options.maxTokenChars()) throw failed();
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
      c = jwt.getJWTClaimsSet();
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

  private static String stringClaim(JWTClaimsSet c, String name) {
    Object v = c.getClaim(name);
    return v instanceof String s ? s : null;
  }

  private static AuthException failed() {
    return new AuthException(AuthFailure.AUTH_FAILED);
  }
}
