package dev.switchboard.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately dumb HTTP/1.1 client over a plain socket, so tests can send exactly the bytes an
 * attacker would (bad framing, glued frames, half requests) and read exactly what comes back.
 */
public final class RawHttpClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  public RawHttpClient(int port) throws IOException {
    this(port, null);
  }

  /**
   * A client whose socket is bound to {@code localAddress} first (e.g. "127.0.0.2": on Linux all
   * of 127.0.0.0/8 is loopback), so that tests of per-address limits have a second address.
   */
  public RawHttpClient(int port, String localAddress) throws IOException {
    socket = new Socket();
    if (localAddress != null) socket.bind(new InetSocketAddress(localAddress, 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(10_000);
    socket.setTcpNoDelay(true);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  public Socket socket() {
    return socket;
  }

  public InputStream input() {
    return in;
  }

  public RawHttpClient send(String ascii) throws IOException {
    return send(ascii.getBytes(StandardCharsets.ISO_8859_1));
  }

  public RawHttpClient send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** Reads one response (status line, headers, Content-Length body). */
  public Response readResponse() throws IOException {
    return readResponse(true);
  }

  /** Reads one response; without {@code withBody} the body is not read (the answer to HEAD). */
  public Response readResponse(boolean withBody) throws IOException {
    String statusLine = readLine();
    if (statusLine == null) throw new IOException("connection closed before a response");
    String[] parts = statusLine.split(" ", 3);
    int status = Integer.parseInt(parts[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    String line;
    while ((line = readLine()) != null && !line.isEmpty()) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
    byte[] body = new byte[0];
    String cl = headers.get("content-length");
    if (cl != null && withBody) {
      body = in.readNBytes(Integer.parseInt(cl));
    }
    return new Response(status, headers, body);
  }

  /** Whether the server closed the connection (EOF) within the socket timeout. */
  public boolean isClosedByServer() {
    try {
      while (true) {
        int b = in.read();
        if (b < 0) return true;
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int prev = -1;
    while (true) {
      int b = in.read();
      if (b < 0) return buf.size() == 0 ? null : buf.toString(StandardCharsets.ISO_8859_1);
      if (prev == '\r' && b == '\n') {
        byte[] bytes = buf.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
      }
      buf.write(b);
      prev = b;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  public record Response(int status, Map<String, String> headers, byte[] body) {
    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** A one-shot request on a fresh connection. */
  public static Response request(int port, String method, String target, String body, String... headers)
      throws IOException {
    try (RawHttpClient c = new RawHttpClient(port)) {
      byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      StringBuilder sb = new StringBuilder();
      sb.append(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: localhost\r\n");
      for (int i = 0; i + 1 < headers.length; i += 2) sb.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
      if (body != null) sb.append("Content-Length: ").append(b.length).append("\r\n");
      sb.append("Connection: close\r\n\r\n");
      c.send(sb.toString().getBytes(StandardCharsets.UTF_8));
      c.send(b);
      return c.readResponse(!method.equals("HEAD"));
    }
  }
}
