package dev.switchboard.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.http.HttpHeaders;
import java.util.Map;

/**
 * What the client presented when it connected to a namespace, as Node's {@code socket.handshake}:
 * the HTTP headers and query of the Engine.IO handshake, the CONNECT packet's auth payload
 * (an empty object when none), the peer address, and when it happened.
 */
public record Handshake(
    HttpHeaders headers,
    String time,
    String address,
    boolean xdomain,
    boolean secure,
    long issued,
    String url,
    Map<String, String> query,
    JsonNode auth) {}
