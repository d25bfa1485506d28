package dev.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.engineio.CloseReason;
import dev.switchboard.socketio.testing.FakeEngineIoConnection;
import dev.switchboard.socketio.testing.InMemorySocketIo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@link DisconnectReason}: Node's names and recoverability, the mapping from Engine.IO's
 * {@link CloseReason}, and which reason each way of leaving a namespace reports, in memory.
 */
class DisconnectReasonTest {
  @Test
  void wireNamesAreNodes() {
    assertEquals(Set.of("transport error", "transport close", "forced close", "ping timeout", "parse error",
            "server shutting down", "forced server close", "client namespace disconnect",
            "server namespace disconnect"),
        Arrays.stream(DisconnectReason.values()).map(DisconnectReason::wireName).collect(Collectors.toSet()));
    for (DisconnectReason r : DisconnectReason.values()) assertEquals(r.wireName(), r.toString());
  }

  @Test
  void recoverableAreNodesRecoverableDisconnectReasons() {
    Set<String> node = Set.of("transport error", "transport close", "forced close", "ping timeout",
        "server shutting down", "forced server close");
    for (DisconnectReason r : DisconnectReason.values()) {
      assertEquals(node.contains(r.wireName()), r.isRecoverable(), r.name());
    }
  }

  @Test
  void everyCloseReasonMapsToTheReasonOfTheSameName() {
    Map<CloseReason, DisconnectReason> expected = Map.of(
        CloseReason.TRANSPORT_ERROR, DisconnectReason.TRANSPORT_ERROR,
        CloseReason.TRANSPORT_CLOSE, DisconnectReason.TRANSPORT_CLOSE,
        CloseReason.FORCED_CLOSE, DisconnectReason.FORCED_CLOSE,
        CloseReason.PING_TIMEOUT, DisconnectReason.PING_TIMEOUT,
        CloseReason.PARSE_ERROR, DisconnectReason.PARSE_ERROR,
        CloseReason.SERVER_SHUTDOWN, DisconnectReason.SERVER_SHUTTING_DOWN);
    assertEquals(EnumSet.allOf(CloseReason.class), EnumSet.copyOf(expected.keySet()));
    for (CloseReason c : CloseReason.values()) {
      assertEquals(expected.get(c), DisconnectReason.of(c));
      assertEquals(c.wireName(), DisconnectReason.of(c).wireName());
    }
  }

  /** What the listeners of one socket heard, in order. */
  private static final class Heard {
    final List<String> events = new ArrayList<>();
  }

  private static Heard listen(InMemorySocketIo sio) {
    Heard heard = new Heard();
    sio.io().onConnection(socket -> {
      socket.onDisconnecting(r -> heard.events.add("disconnecting " + r.name() + " rooms=" + socket.rooms()));
      socket.onDisconnect(r -> heard.events.add("disconnect " + r.name()));
    });
    return heard;
  }

  @Test
  void aDroppedConnectionReportsTheEngineIoReason() {
    for (CloseReason c : CloseReason.values()) {
      try (InMemorySocketIo sio = new InMemorySocketIo()) {
        Heard heard = listen(sio);
        FakeEngineIoConnection conn = sio.connect();
        conn.receive("0");
        conn.drop(c);
        DisconnectReason r = DisconnectReason.of(c);
        assertEquals(List.of("disconnecting " + r.name() + " rooms=[id1]", "disconnect " + r.name()), heard.events);
      }
    }
  }

  @Test
  void theClientsDisconnectPacketIsAClientNamespaceDisconnect() {
    try (InMemorySocketIo sio = new InMemorySocketIo()) {
      Heard heard = listen(sio);
      FakeEngineIoConnection conn = sio.connect();
      conn.receive("0");
      conn.receive("1");
      assertEquals(List.of("disconnecting CLIENT_NAMESPACE_DISCONNECT rooms=[id1]",
          "disconnect CLIENT_NAMESPACE_DISCONNECT"), heard.events);
    }
  }

  @Test
  void disconnectFromTheServerIsAServerNamespaceDisconnectAndTellsTheClient() {
    try (InMemorySocketIo sio = new InMemorySocketIo()) {
      Heard heard = listen(sio);
      sio.io().onConnection(socket -> socket.on("bye", (args, ack) -> socket.disconnect(false)));
      FakeEngineIoConnection conn = sio.connect();
      conn.receive("0");
      conn.receive("2[\"bye\"]");
      assertEquals(List.of("0{\"sid\":\"id1\"}", "1"), conn.sent());
      assertEquals(List.of("disconnecting SERVER_NAMESPACE_DISCONNECT rooms=[id1]",
          "disconnect SERVER_NAMESPACE_DISCONNECT"), heard.events);
    }
  }

  @Test
  void aProtocolViolationIsAForcedServerClose() {
    try (InMemorySocketIo sio = new InMemorySocketIo()) {
      Heard heard = listen(sio);
      FakeEngineIoConnection conn = sio.connect();
      conn.receive("0");
      conn.receive("0"); // a second CONNECT to the same namespace closes the connection
      assertTrue(conn.closedByServer());
      assertEquals(List.of("disconnecting FORCED_SERVER_CLOSE rooms=[id1]", "disconnect FORCED_SERVER_CLOSE"),
          heard.events);
    }
  }

  @Test
  void aReasonEmittedAsAnArgumentTravelsAsItsWireName() {
    try (InMemorySocketIo sio = new InMemorySocketIo()) {
      sio.io().onConnection(socket -> socket.onDisconnect(reason -> sio.io().emit("left", socket.id(), reason,
          Map.of("why", reason))));
      FakeEngineIoConnection leaving = sio.connect();
      leaving.receive("0");
      FakeEngineIoConnection staying = sio.connect();
      staying.receive("0");
      staying.takeSent();
      leaving.drop(CloseReason.PING_TIMEOUT);
      assertEquals(List.of("2[\"left\",\"id1\",\"ping timeout\",{\"why\":\"ping timeout\"}]"), staying.sent());
    }
  }

  @Test
  void onlyARecoverableReasonKeepsTheSocketForRecovery() {
    SocketIoOptions options = SocketIoOptions.builder().recovery(SocketIoOptions.Recovery.DEFAULTS).build();
    for (DisconnectReason how : List.of(DisconnectReason.TRANSPORT_CLOSE, DisconnectReason.PARSE_ERROR,
        DisconnectReason.CLIENT_NAMESPACE_DISCONNECT)) {
      try (InMemorySocketIo sio = new InMemorySocketIo(options)) {
        sio.io().onConnection(socket -> socket.emit("hello"));
        FakeEngineIoConnection first = sio.connect();
        first.receive("0");
        List<String> sent = first.takeSent();
        assertEquals("0{\"sid\":\"id3\",\"pid\":\"id1id2\"}", sent.get(0));
        ArrayNode hello = (ArrayNode) Json.MAPPER.readTree(sent.get(1).substring(1));
        String offset = hello.get(1).textValue();
        switch (how) {
          case TRANSPORT_CLOSE -> first.drop(CloseReason.TRANSPORT_CLOSE);
          case PARSE_ERROR -> first.drop(CloseReason.PARSE_ERROR);
          default -> first.receive("1");
        }
        FakeEngineIoConnection again = sio.connect();
        again.receive("0{\"pid\":\"id1id2\",\"offset\":\"" + offset + "\"}");
        String answer = again.sent().get(0);
        if (how.isRecoverable()) assertEquals("0{\"sid\":\"id3\",\"pid\":\"id1id2\"}", answer, how.name());
        else assertTrue(answer.startsWith("0{\"sid\":\"id6\""), how + ": " + answer);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new AssertionError(e);
      }
    }
  }
}
