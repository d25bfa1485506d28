package dev.switchboard.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.socketio.SocketIoServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The UI bundle at /admin/: its files with their types and policy, and nothing else. */
class AdminUiPageTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private SocketIoServer io;

  @BeforeEach
  void start() throws Exception {
    io = new SocketIoServer();
    io.route(AdminUiPage::matches, new AdminUiPage());
    io.listen(0);
  }

  @AfterEach
  void stop() {
    io.close();
  }

  private HttpResponse<String> request(String method, String path) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + io.port() + path))
        .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody()).build();
    return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theIndexAndEveryScriptAndStyleItLinksAreServed() throws Exception {
    HttpResponse<String> index = request("GET", "/admin/");
    assertEquals(200, index.statusCode());
    assertEquals("text/html; charset=UTF-8", index.headers().firstValue("Content-Type").orElse(""));
    assertTrue(index.body().contains("<title>Socket.IO Admin UI</title>"), index.body());
    assertEquals(AdminUiPage.CONTENT_SECURITY_POLICY, index.headers().firstValue("Content-Security-Policy").orElse(""));
    Matcher links = Pattern.compile("(?:src|href)=\"?((?:js|css)/[^\" >]+)").matcher(index.body());
    int found = 0;
    while (links.find()) {
      HttpResponse<String> file = request("GET", "/admin/" + links.group(1));
      assertEquals(200, file.statusCode(), links.group(1));
      assertTrue(file.headers().firstValue("Content-Type").orElse("").startsWith(
          links.group(1).endsWith(".js") ? "text/javascript" : "text/css"), links.group(1));
      found++;
    }
    assertTrue(found >= 4, "linked files: " + found);
    assertEquals(200, request("GET", "/admin/favicon.png").statusCode());
  }

  @Test
  void slashlessRedirectsAndAnythingElseIsNotFoundOrNotAllowed() throws Exception {
    HttpResponse<String> bare = request("GET", "/admin");
    assertEquals(301, bare.statusCode());
    assertEquals("/admin/", bare.headers().firstValue("Location").orElse(""));
    for (String path : List.of("/admin/js/missing.js", "/admin/js/..", "/admin/js/.hidden", "/admin/../web/index.html",
        "/admin/js/%2e%2e/index.html", "/admin/package.json", "/admin/js/app.js/x", "/admin/index.html/")) {
      assertEquals(404, request("GET", path).statusCode(), path);
    }
    HttpResponse<String> post = request("POST", "/admin/");
    assertEquals(405, post.statusCode());
    assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(""));
  }
}
