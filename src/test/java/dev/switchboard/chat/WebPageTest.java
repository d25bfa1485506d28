package dev.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.net.NetOptions;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.testing.RawHttpClient;
import dev.switchboard.testing.RawHttpClient.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The static handler over a real server on a free port, routed exactly as the integrator does. */
class WebPageTest {
  private SocketIoServer io;

  @BeforeEach
  void start() throws Exception {
    io = new SocketIoServer(SocketIoOptions.builder().net(NetOptions.builder().host("127.0.0.1").build()).build());
    WebPage page = new WebPage();
    for (String path : WebPage.paths()) io.route(path, page);
    io.listen(0);
  }

  @AfterEach
  void stop() {
    io.close();
  }

  private Response get(String target, String... headers) throws IOException {
    return RawHttpClient.request(io.port(), "GET", target, null, headers);
  }

  static Stream<Arguments> files() {
    return Stream.of(
        Arguments.of("/", "text/html; charset=UTF-8", "<!doctype html>"),
        Arguments.of("/app.js", "text/javascript; charset=UTF-8", "// The Switchboard chat page"),
        Arguments.of("/app.css", "text/css; charset=UTF-8", "/* Switchboard chat page."),
        Arguments.of("/favicon.svg", "image/svg+xml; charset=UTF-8", "<svg"),
        // The official bundle npm ci fetched at build time (src/main/web/package-lock.json).
        Arguments.of("/vendor/socket.io.min.js", "text/javascript; charset=UTF-8", "/*!\n * Socket.IO v4.8.4"),
        Arguments.of("/vendor/socket.io.min.js.map", "application/json; charset=UTF-8", "{"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void servesEachFileWithItsTypeAndTheSecurityHeaders(String path, String contentType, String start) throws Exception {
    Response r = get(path);
    assertEquals(200, r.status());
    assertEquals(contentType, r.header("Content-Type"));
    assertTrue(r.bodyText().startsWith(start), () -> path + " starts with " + r.bodyText().substring(0, 40));
    assertEquals("nosniff", r.header("X-Content-Type-Options"));
    assertEquals("default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'", r.header("Content-Security-Policy"));
    assertEquals("no-referrer", r.header("Referrer-Policy"));
    assertEquals("no-cache", r.header("Cache-Control"));
    assertTrue(r.header("ETag").matches("\"[A-Za-z0-9_-]{22}\""), r.header("ETag"));
    assertEquals(String.valueOf(r.body().length), r.header("Content-Length"));
  }

  @Test
  void theBodyIsTheClasspathFileByteForByte() throws Exception {
    byte[] expected;
    try (InputStream in = WebPage.class.getClassLoader().getResourceAsStream("web/app.js")) {
      expected = in.readAllBytes();
    }
    assertEquals(new String(expected, StandardCharsets.UTF_8), get("/app.js").bodyText());
  }

  @Test
  void aQueryStringDoesNotChangeTheFile() throws Exception {
    assertEquals(get("/").bodyText(), get("/?room=general&x=%2e%2e").bodyText());
  }

  @Test
  void headAnswersTheHeadersOfGetWithoutABody() throws Exception {
    Response g = get("/vendor/socket.io.min.js");
    Response h = RawHttpClient.request(io.port(), "HEAD", "/vendor/socket.io.min.js", null);
    assertEquals(200, h.status());
    assertEquals(g.header("Content-Length"), h.header("Content-Length"));
    assertEquals(g.header("ETag"), h.header("ETag"));
    assertEquals(g.header("Content-Type"), h.header("Content-Type"));
    assertEquals(0, h.body().length);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "OPTIONS"})
  void otherMethodsAre405WithAllow(String method) throws Exception {
    Response r = RawHttpClient.request(io.port(), method, "/", method.equals("OPTIONS") ? null : "x=1");
    assertEquals(405, r.status());
    assertEquals("GET, HEAD", r.header("Allow"));
    assertEquals("nosniff", r.header("X-Content-Type-Options"));
    assertEquals("Method not allowed\n", r.bodyText());
  }

  @Test
  void aMatchingIfNoneMatchIs304WithTheValidator() throws Exception {
    String etag = get("/app.css").header("ETag");
    for (String ifNoneMatch : List.of(etag, "W/" + etag, "\"other\", " + etag, "*")) {
      Response r = get("/app.css", "If-None-Match", ifNoneMatch);
      assertEquals(304, r.status(), ifNoneMatch);
      assertEquals(etag, r.header("ETag"));
      assertEquals("no-cache", r.header("Cache-Control"));
      assertEquals(0, r.body().length);
    }
    assertEquals(200, get("/app.css", "If-None-Match", "\"stale\"").status());
  }

  @Test
  void differentFilesHaveDifferentEtags() throws Exception {
    assertFalse(get("/app.js").header("ETag").equals(get("/app.css").header("ETag")));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "/index.html", "/app.js/", "/App.js", "//app.js", "/./app.js", "/vendor/../app.js", "/%61pp.js",
      "/vendor/", "/vendor/socket.io.js", "/web/app.js", "/../pom.xml", "/%2e%2e/%2e%2e/etc/passwd",
      "/dev/switchboard/chat/WebPage.class", "/META-INF/MANIFEST.MF"})
  void onlyTheExactPathsOfTheAllowListExist(String target) throws Exception {
    Response r = get(target);
    assertEquals(404, r.status(), target);
    assertFalse(r.bodyText().contains("<"), target);
  }

  @Test
  void pathsAreTheAllowList() {
    assertEquals(List.of("/", "/app.js", "/app.css", "/favicon.svg", "/vendor/socket.io.min.js",
        "/vendor/socket.io.min.js.map"), WebPage.paths());
  }

  @Test
  void aMissingFileFailsAtConstructionNamingIt() {
    ClassLoader withoutBundle = new ClassLoader(WebPage.class.getClassLoader()) {
      @Override
      public URL getResource(String name) {
        return name.startsWith("web/vendor/") ? null : super.getResource(name);
      }

      @Override
      public InputStream getResourceAsStream(String name) {
        return name.startsWith("web/vendor/") ? null : super.getResourceAsStream(name);
      }

      @Override
      public Enumeration<URL> getResources(String name) {
        return Collections.emptyEnumeration();
      }
    };
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> new WebPage(withoutBundle));
    assertTrue(e.getMessage().startsWith("Missing classpath resource web/vendor/socket.io.min.js"), e.getMessage());
  }

  @Test
  void ifNoneMatchUsesTheWeakComparison() {
    assertTrue(WebPage.matches("W/\"a\"", "\"a\""));
    assertTrue(WebPage.matches(" \"b\" , \"a\"", "\"a\""));
    assertFalse(WebPage.matches("\"ab\"", "\"a\""));
    assertFalse(WebPage.matches("", "\"a\""));
    assertFalse(WebPage.matches(null, "\"a\""));
  }

  // ---- the page itself: what the CSP and the text-only rule demand of the sources ----

  private static String source(String name) throws IOException {
    try (InputStream in = WebPage.class.getClassLoader().getResourceAsStream("web/" + name)) {
      assertNotNull(in, name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void thePageHasNoInlineScriptStyleOrHandlers() throws Exception {
    String html = source("index.html");
    Matcher scripts = Pattern.compile("<script\\b([^>]*)>(.*?)</script>", Pattern.DOTALL).matcher(html);
    int count = 0;
    while (scripts.find()) {
      count++;
      assertTrue(scripts.group(1).contains("src=\"/"), "script without a same-origin src: " + scripts.group());
      assertEquals("", scripts.group(2).strip(), "inline script: " + scripts.group());
    }
    assertEquals(2, count, "the vendor bundle and app.js");
    assertFalse(Pattern.compile("<style\\b", Pattern.CASE_INSENSITIVE).matcher(html).find(), "inline <style>");
    assertFalse(Pattern.compile("\\sstyle\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find(), "style attribute");
    assertFalse(Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find(), "event-handler attribute");
    assertFalse(html.contains("javascript:"), "javascript: URL");
    assertFalse(Pattern.compile("(src|href)=\"(https?:)?//", Pattern.CASE_INSENSITIVE).matcher(html).find(), "another origin");
  }

  @Test
  void theScriptNeverParsesMarkup() throws Exception {
    String js = source("app.js");
    for (String sink : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
        "new Function", "createContextualFragment", "DOMParser", ".style")) {
      assertFalse(js.contains(sink), "app.js uses " + sink);
    }
  }

  @Test
  void theTokenTravelsInTheConnectPayloadNotTheUrl() throws Exception {
    String js = source("app.js");
    assertTrue(js.contains("auth: (cb) => cb({ token: currentToken() })"));
    assertFalse(js.contains("query:"), "a query option would put data in the URL");
    assertNull(Pattern.compile("[?&]token=").matcher(js).results().findFirst().orElse(null));
  }
}
