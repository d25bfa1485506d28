package dev.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.socketio.testing.FakeEngineIoConnection;
import dev.switchboard.socketio.testing.InMemorySocketIo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Socket.IO protocol 4, as socket.io-client 2.x speaks it over Engine.IO 3 (spec-notes/socket-io.md,
 * "Protocol 4"): "/" joined on connection, the CONNECT query as {@code handshake.auth}, CONNECT
 * without a payload, ERROR as the data or the message.
 */
class Protocol4Test {
  private final InMemorySocketIo sio = new InMemorySocketIo();

  @AfterEach
  void close() {
    sio.close();
  }

  private FakeEngineIoConnection connectV2Client() {
    return sio.connect(FakeEngineIoConnection.of(sio.nextConnectionId()).asEngineIo3());
  }

  @Test
  void theMainNamespaceIsJoinedOnConnectionAndAnsweredWithABareConnect() {
    List<Socket> connected = new ArrayList<>();
    sio.io().onConnection(connected::add);
    FakeEngineIoConnection c = connectV2Client();
    assertEquals(List.of("0"), c.sent());
    assertEquals(1, connected.size());
    assertEquals(3, connected.get(0).engineIoProtocol());
    assertTrue(connected.get(0).handshake().auth().isEmpty());
    c.receive("2[\"x\"]"); // events on "/" need no CONNECT from the client
  }

  @Test
  void aV4ClientIsNotConnectedByItself() {
    FakeEngineIoConnection c = sio.connect();
    assertEquals(List.of(), c.sent());
  }

  @Test
  void theMainNamespaceMiddlewaresRunAndARefusalIsTheDataAlone() {
    sio.io().use((socket, next) -> next.fail(new ConnectError("unauthorized", Map.of("code", "BAD_TOKEN"))));
    assertEquals(List.of("4{\"code\":\"BAD_TOKEN\"}"), connectV2Client().sent());
  }

  @Test
  void aRefusalWithoutDataIsTheMessageAsAString() {
    sio.io().of("/admin").use((socket, next) -> next.fail(new ConnectError("unauthorized")));
    FakeEngineIoConnection c = connectV2Client();
    c.receive("0/admin,");
    assertEquals(List.of("0", "4/admin,\"unauthorized\""), c.sent());
  }

  @Test
  void theConnectQueryIsTheHandshakeAuth() {
    List<Socket> admins = new ArrayList<>();
    sio.io().of("/admin").onConnection(admins::add);
    FakeEngineIoConnection c = connectV2Client();
    c.receive("0/admin?token=a%20b&uid=1&token=second,");
    assertEquals(List.of("0", "0/admin,"), c.sent());
    assertEquals("{\"token\":\"a b\",\"uid\":\"1\"}", admins.get(0).handshake().auth().toString());
    c.receive("2/admin,[\"x\"]"); // later packets name the namespace without the query
    c.receive("0/admin?x=1,");
    assertTrue(c.closedByServer(), "a second CONNECT to /admin, query or not, is a duplicate");
  }

  @Test
  void anUnknownNamespaceIsRefusedWithNodesObject() {
    FakeEngineIoConnection c = connectV2Client();
    c.receive("0/nowhere?token=x,");
    assertEquals(List.of("0", "4/nowhere,{\"message\":\"Invalid namespace\"}"), c.sent());
  }

  @Test
  void aQueryThatDoesNotParseIsAnInvalidNamespace() {
    sio.io().of("/admin");
    FakeEngineIoConnection c = connectV2Client();
    c.receive("0/admin?token=%zz,");
    assertEquals(List.of("0", "4/admin,{\"message\":\"Invalid namespace\"}"), c.sent());
  }
}
