package dev.switchboard.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.testing.FakeScheduler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TokenServiceTest {
  private static final byte[] KEY = "k".repeat(32).getBytes(StandardCharsets.UTF_8);
  private final FakeScheduler clock = new FakeScheduler();
  private final TokenService tokens = new TokenService(JwtSecret.of(KEY), clock, AuthOptions.DEFAULTS);
  private final Session session = new Session("s1", "u1", "alice", clock.currentTimeMillis(), 0);

  private String issue() {
    return tokens.issue(session, tokens.expiryFromNow()).token();
  }

  private AuthFailure refusal(String token) {
    return assertThrows(AuthException.class, () -> tokens.verify(token, false)).failure();
  }

  @Test
  void aTokenWeIssuedVerifiesWithItsClaims() throws Exception {
    TokenService.Claims c = tokens.verify(issue(), false);
    assertEquals("u1", c.userId());
    assertEquals("s1", c.sessionId());
    assertEquals(Duration.ofHours(1).toMillis(), c.expiresAtMillis() - c.issuedAtMillis());
  }

  @Test
  void expiryHasAFiveSecondSkewAndThenSaysExpired() throws Exception {
    String t = issue();
    clock.advanceBy(Duration.ofHours(1).plusSeconds(4));
    tokens.verify(t, false); // within the documented skew
    clock.advanceBy(Duration.ofSeconds(2));
    assertEquals(AuthFailure.TOKEN_EXPIRED, refusal(t));
    tokens.verify(t, true); // logout still accepts it
  }

  @Test
  void aMissingTokenIsRequiredNotFailed() {
    assertEquals(AuthFailure.TOKEN_REQUIRED, refusal(null));
    assertEquals(AuthFailure.TOKEN_REQUIRED, refusal(""));
  }

  static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  /** A token signed with {@code key} under {@code alg}, with our claims changed by {@code edit}. */
  static String forge(JWSAlgorithm alg, byte[] key, JOSEObjectType type, UnaryOperator<JWTClaimsSet.Builder> edit,
      long nowMillis) throws Exception {
    JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().issuer("switchboard").audience("switchboard-chat")
        .subject("u1").claim("sid", "s1").jwtID("j1")
        .issueTime(new Date(nowMillis)).expirationTime(new Date(nowMillis + 600_000));
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).type(type).build(), edit.apply(b).build());
    jwt.sign(new MACSigner(key));
    return jwt.serialize();
  }

  static Stream<Arguments> forgeries() throws Exception {
    long now = new FakeScheduler().currentTimeMillis();
    JOSEObjectType ours = TokenService.TYPE;
    byte[] other = "o".repeat(32).getBytes(StandardCharsets.UTF_8);
    byte[] longKey = "k".repeat(64).getBytes(StandardCharsets.UTF_8);
    String claims = b64("{\"iss\":\"switchboard\",\"aud\":\"switchboard-chat\",\"sub\":\"u1\",\"sid\":\"s1\",\"jti\":\"j\","
        + "\"iat\":" + now / 1000 + ",\"exp\":" + (now / 1000 + 600) + "}");
    String good = forge(JWSAlgorithm.HS256, KEY, ours, b -> b, now);
    String[] parts = good.split("\\.");
    return Stream.of(
        Arguments.of("garbage", "garbage"),
        Arguments.of("three dots", "a.b.c"),
        Arguments.of("alg none, RFC 8725 §2.1", b64("{\"alg\":\"none\"}") + "." + claims + "."),
        Arguments.of("alg none with our signature", b64("{\"alg\":\"none\"}") + "." + parts[1] + "." + parts[2]),
        Arguments.of("HS512 header", forge(JWSAlgorithm.HS512, longKey, ours, b -> b, now)),
        Arguments.of("HS384 header", forge(JWSAlgorithm.HS384, longKey, ours, b -> b, now)),
        Arguments.of("RS256 header, our MAC", b64("{\"alg\":\"RS256\",\"typ\":\"sb-access+jwt\"}") + "." + parts[1] + "." + parts[2]),
        Arguments.of("another key", forge(JWSAlgorithm.HS256, other, ours, b -> b, now)),
        Arguments.of("payload edited", parts[0] + "." + b64("{\"sub\":\"admin\"}") + "." + parts[2]),
        Arguments.of("signature stripped", parts[0] + "." + parts[1] + "."),
        Arguments.of("wrong type (RFC 8725 §3.11)", forge(JWSAlgorithm.HS256, KEY, JOSEObjectType.JWT, b -> b, now)),
        Arguments.of("no type", forge(JWSAlgorithm.HS256, KEY, null, b -> b, now)),
        Arguments.of("wrong issuer", forge(JWSAlgorithm.HS256, KEY, ours, b -> b.issuer("evil"), now)),
        Arguments.of("wrong audience", forge(JWSAlgorithm.HS256, KEY, ours, b -> b.audience("other-service"), now)),
        Arguments.of("two audiences", forge(JWSAlgorithm.HS256, KEY, ours,
            b -> b.audience(java.util.List.of("switchboard-chat", "x")), now)),
        Arguments.of("no subject", forge(JWSAlgorithm.HS256, KEY, ours, b -> b.subject(null), now)),
        Arguments.of("no session", forge(JWSAlgorithm.HS256, KEY, ours, b -> b.claim("sid", null), now)),
        Arguments.of("session not a string", forge(JWSAlgorithm.HS256, KEY, ours, b -> b.claim("sid", 7), now)),
        Arguments.of("no jti", forge(JWSAlgorithm.HS256, KEY, ours, b -> b.jwtID(null), now)),
        Arguments.of("no exp", forge(JWSAlgorithm.HS256, KEY, ours, b -> b.expirationTime(null), now)),
        Arguments.of("no iat", forge(JWSAlgorithm.HS256, KEY, ours, b -> b.issueTime(null), now)),
        Arguments.of("iat in the future", forge(JWSAlgorithm.HS256, KEY, ours,
            b -> b.issueTime(new Date(now + 60_000)).expirationTime(new Date(now + 120_000)), now)),
        Arguments.of("lifetime longer than we issue", forge(JWSAlgorithm.HS256, KEY, ours,
            b -> b.expirationTime(new Date(now + Duration.ofDays(30).toMillis())), now)),
        Arguments.of("nbf in the future", forge(JWSAlgorithm.HS256, KEY, ours, b -> b.notBeforeTime(new Date(now + 60_000)), now)),
        Arguments.of("longer than 1024 characters", good + "A".repeat(1024)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forgeries")
  void everythingButOurOwnTokensFailsTheSameWay(String what, String token) {
    assertEquals(AuthFailure.AUTH_FAILED, refusal(token));
  }

  // ------------------------------------------------------------------ one spelling per token
  // RFC 7515 §2, §7.1 (base64url, no padding, no whitespace) and RFC 7519 §2 (NumericDate), as
  // issue #14 found them: each spelling below of a token we issued carried a valid MAC.

  /** A token we issued whose signature holds both '-' and '_', so the standard-base64 rows change something. */
  static String issuedWithDashAndUnderscore(TokenService tokens, Session session) {
    for (int i = 0; i < 1000; i++) {
      String t = tokens.issue(session, tokens.expiryFromNow()).token();
      String sig = t.substring(t.lastIndexOf('.') + 1);
      if (sig.indexOf('-') >= 0 && sig.indexOf('_') >= 0) return t;
    }
    throw new AssertionError("no signature with both '-' and '_' in 1000 tokens");
  }

  /**
   * Every other spelling of {@code token} (one we issued, valid now) that must be refused before
   * its MAC is computed, by name. {@code inHeader} keeps only those an HTTP header can carry.
   */
  static List<Arguments> otherSpellings(String token, boolean inHeader) {
    int lastDot = token.lastIndexOf('.');
    String signed = token.substring(0, lastDot + 1);
    String sig = token.substring(lastDot + 1);
    String mid = signed + sig.substring(0, 20);
    String rest = sig.substring(20);
    char last = sig.charAt(sig.length() - 1);
    // The same 6-bit value but for the 2 bits an HS256 signature does not use (RFC 4648 §3.5).
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char sameMac = alphabet.charAt(alphabet.indexOf(last) | 1);
    List<Arguments> all = new ArrayList<>(List.of(
        Arguments.of("'=' padding on the signature", token + "="),
        Arguments.of("'==' padding on the signature", token + "=="),
        Arguments.of("standard base64 '+' and '/' in the signature", signed + sig.replace('-', '+').replace('_', '/')),
        Arguments.of("a TAB inside", mid + "\t" + rest),
        Arguments.of("a space inside", mid + " " + rest),
        Arguments.of("a newline inside", mid + "\n" + rest),
        Arguments.of("CRLF inside", mid + "\r\n" + rest),
        Arguments.of("a leading space", " " + token),
        Arguments.of("a trailing newline", token + "\n"),
        Arguments.of("a trailing dot", token + "."),
        Arguments.of("a leading dot", "." + token),
        Arguments.of("unused bits of the signature's last character set", token.substring(0, token.length() - 1) + sameMac),
        Arguments.of("over 1024 characters", token + "A".repeat(1025 - token.length()))));
    for (Arguments a : all) {
      if (a.get()[1].equals(token)) throw new IllegalArgumentException("no other spelling for row " + a.get()[0]);
    }
    if (inHeader) all.removeIf(a -> ((String) a.get()[1]).matches("(?s).*[\\r\\n].*|^\\s.*|.*\\s$"));
    return all;
  }

  /** A verifier that counts MAC checks. */
  static final class CountingVerifier implements JWSVerifier {
    final JWSVerifier inner;
    final AtomicInteger calls = new AtomicInteger();

    CountingVerifier(JWSVerifier inner) {
      this.inner = inner;
    }

    @Override
    public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
      calls.incrementAndGet();
      return inner.verify(header, signingInput, signature);
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
      return inner.supportedJWSAlgorithms();
    }

    @Override
    public JCAContext getJCAContext() {
      return inner.getJCAContext();
    }
  }

  private CountingVerifier macs;

  private TokenService countingTokens() {
    return new TokenService(JwtSecret.of(KEY), clock, AuthOptions.DEFAULTS, v -> macs = new CountingVerifier(v));
  }

  static Stream<Arguments> spellingsOfOneToken() {
    FakeScheduler c = new FakeScheduler();
    TokenService t = new TokenService(JwtSecret.of(KEY), c, AuthOptions.DEFAULTS);
    String token = issuedWithDashAndUnderscore(t, new Session("s1", "u1", "alice", c.currentTimeMillis(), 0));
    return Stream.concat(Stream.of(Arguments.of("as issued", token)), otherSpellings(token, false).stream());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("spellingsOfOneToken")
  void aTokenHasOneSpellingAndTheOthersFailBeforeTheMac(String what, String spelling) throws Exception {
    TokenService counted = countingTokens();
    if (what.equals("as issued")) { // the control: the row's token is valid, so the others are refused for their spelling
      counted.verify(spelling, false);
      assertEquals(1, macs.calls.get());
      return;
    }
    assertEquals(AuthFailure.AUTH_FAILED, assertThrows(AuthException.class, () -> counted.verify(spelling, false)).failure());
    assertEquals(0, macs.calls.get(), "refused before any MAC was computed");
    // Logout accepts expired tokens, not other spellings.
    assertEquals(AuthFailure.AUTH_FAILED, assertThrows(AuthException.class, () -> counted.verify(spelling, true)).failure());
  }

  @Test
  void anOverLongTokenWithOurMacIsRefusedUnread() throws Exception {
    TokenService counted = countingTokens();
    String big = forge(JWSAlgorithm.HS256, KEY, TokenService.TYPE, b -> b.claim("pad", "x".repeat(1024)), clock.currentTimeMillis());
    assertEquals(AuthFailure.AUTH_FAILED, assertThrows(AuthException.class, () -> counted.verify(big, false)).failure());
    assertEquals(0, macs.calls.get());
  }

  @Test
  void ourLongestTokenIsWellUnderTheCap() throws Exception {
    // The cap (AuthOptions.maxTokenChars, 1024) against the longest token we issue: a 32-character
    // name, 20-character ids as SessionIdGenerator makes them.
    Session longest = new Session("s".repeat(20), "u".repeat(20), "n".repeat(Usernames.MAX_LENGTH), clock.currentTimeMillis(), 0);
    String t = tokens.issue(longest, tokens.expiryFromNow()).token();
    assertTrue(t.length() <= 400, "our longest token has " + t.length() + " characters");
    assertTrue(t.length() * 2 < AuthOptions.DEFAULTS.maxTokenChars());
    tokens.verify(t, false);
  }

  /** A token signed with our key whose payload is {@code claimsJson} exactly as written. */
  private static String signRaw(String claimsJson) throws Exception {
    JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.HS256).type(TokenService.TYPE).build(),
        new Payload(claimsJson));
    jws.sign(new MACSigner(KEY));
    return jws.serialize();
  }

  private static String claims(String iat, String exp, String extra) {
    return "{\"iss\":\"switchboard\",\"aud\":\"switchboard-chat\",\"sub\":\"u1\",\"sid\":\"s1\",\"jti\":\"j\","
        + "\"iat\":" + iat + ",\"exp\":" + exp + extra + "}";
  }

  static Stream<Arguments> numericDates() {
    long now = new FakeScheduler().currentTimeMillis() / 1000;
    String iat = Long.toString(now);
    String exp = Long.toString(now + 600);
    return Stream.of(
        Arguments.of("exp with a fraction", claims(iat, exp + ".5", "")),
        Arguments.of("exp as a float with .0", claims(iat, exp + ".0", "")),
        Arguments.of("exp in exponent form", claims(iat, exp.charAt(0) + "." + exp.substring(1) + "e" + (exp.length() - 1), "")),
        Arguments.of("exp as a string", claims(iat, "\"" + exp + "\"", "")),
        Arguments.of("exp past year 9999", claims(iat, "253402300800", "")),
        Arguments.of("exp beyond a long", claims(iat, "99999999999999999999", "")),
        Arguments.of("iat as a float", claims(iat + ".0", exp, "")),
        Arguments.of("iat as a string", claims("\"" + iat + "\"", exp, "")),
        Arguments.of("nbf as a float", claims(iat, exp, ",\"nbf\":" + iat + ".0")),
        Arguments.of("nbf as a string", claims(iat, exp, ",\"nbf\":\"" + iat + "\"")),
        Arguments.of("a float exp that has passed (no TOKEN_EXPIRED for it)",
            claims(Long.toString(now - 7200), (now - 3600) + ".0", "")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("numericDates")
  void numericDatesAreIntegers(String what, String claimsJson) throws Exception {
    String token = signRaw(claimsJson);
    assertEquals(AuthFailure.AUTH_FAILED, refusal(token));
    assertEquals(AuthFailure.AUTH_FAILED, assertThrows(AuthException.class, () -> tokens.verify(token, true)).failure());
  }

  @Test
  void theSameClaimsWithIntegerDatesVerify() throws Exception {
    // The control for numericDatesAreIntegers: its tokens differ from this one only in the dates' spelling.
    long now = clock.currentTimeMillis() / 1000;
    tokens.verify(signRaw(claims(Long.toString(now), Long.toString(now + 600), ",\"nbf\":" + now)), false);
  }

  @Test
  void criticalHeaderParametersAreRefused() throws Exception {
    JWTClaimsSet c = new JWTClaimsSet.Builder().issuer("switchboard").audience("switchboard-chat").subject("u1")
        .claim("sid", "s1").jwtID("j").issueTime(new Date(clock.currentTimeMillis()))
        .expirationTime(new Date(clock.currentTimeMillis() + 60_000)).build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(TokenService.TYPE)
        .criticalParams(Set.of("exp")).customParam("exp", 1).build(), c);
    jwt.sign(new MACSigner(KEY));
    assertEquals(AuthFailure.AUTH_FAILED, refusal(jwt.serialize()));
  }

  @Test
  void anExpiredForgeryIsStillJustAFailure() throws Exception {
    // Only a token with our MAC may learn that it expired: no oracle for forgers.
    long longAgo = clock.currentTimeMillis() - Duration.ofDays(1).toMillis();
    String forged = forge(JWSAlgorithm.HS256, "o".repeat(32).getBytes(StandardCharsets.UTF_8), TokenService.TYPE, b -> b, longAgo);
    assertEquals(AuthFailure.AUTH_FAILED, refusal(forged));
    String ours = forge(JWSAlgorithm.HS256, KEY, TokenService.TYPE, b -> b, longAgo);
    assertEquals(AuthFailure.TOKEN_EXPIRED, refusal(ours));
  }
}
