package dev.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.socketio.testing.FakeEngineIoConnection;
import dev.switchboard.socketio.testing.InMemorySocketIo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Args}, the arguments of an event or an ack as JSON trees: typed reads, conversion to
 * application types, and re-emitting.
 */
class ArgsTest {
  record Message(String text, int priority) {}

  @Test
  void ofBuildsArgumentsFromPlainValues() {
    Args a = Args.of("hi", 3, true, null, Map.of("k", "v"), List.of(1, 2));
    assertEquals(6, a.size());
    assertFalse(a.isEmpty());
    assertEquals("hi", a.getString(0));
    assertEquals(3, a.get(1).intValue());
    assertTrue(a.get(2).booleanValue());
    assertTrue(a.get(3).isNull());
    assertEquals("v", a.get(4).path("k").textValue());
    assertEquals("[\"hi\",3,true,null,{\"k\":\"v\"},[1,2]]", a.toString());
  }

  @Test
  void noArgumentsIsEmpty() {
    assertTrue(Args.of().isEmpty());
    assertEquals(0, Args.of().size());
    assertEquals("[]", Args.of().toString());
  }

  @Test
  void anAbsentArgumentIsAMissingNodeNeverNull() {
    Args a = Args.of("only");
    assertTrue(a.get(1).isMissingNode());
    assertTrue(a.get(-1).isMissingNode());
    assertNull(a.getString(5));
    assertNull(a.getBytes(5));
  }

  @Test
  void typedReadsReturnNullForAnotherType() {
    Args a = Args.of(42, "text", new byte[] {1, 2});
    assertNull(a.getString(0), "a number is not a string");
    assertNull(a.getBytes(1), "a string is not binary");
    assertArrayEquals(new byte[] {1, 2}, a.getBytes(2));
  }

  @Test
  void asConvertsAnArgumentToAnApplicationType() {
    Args a = Args.of(Map.of("text", "hello", "priority", 2), "not an object");
    assertEquals(new Message("hello", 2), a.as(0, Message.class));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.as(1, Message.class));
    assertEquals("argument 1 is not a Message", e.getMessage());
  }

  @Test
  void asArrayIsACopyAndIterationFollowsIt() {
    Args a = Args.of(1, 2);
    ArrayNode copy = a.asArray();
    copy.add(3);
    assertEquals(2, a.size());
    List<Integer> seen = new ArrayList<>();
    for (JsonNode n : a) seen.add(n.intValue());
    assertEquals(List.of(1, 2), seen);
  }

  @Test
  void anEventsArgumentsLeaveOutTheEventName() {
    try (InMemorySocketIo sio = new InMemorySocketIo()) {
      List<String> seen = new ArrayList<>();
      sio.io().onConnection(s -> s.on("x", (args, ack) -> seen.add(args.size() + " " + args)));
      FakeEngineIoConnection c = sio.client();
      c.receive("2[\"x\",\"a\",{\"b\":1}]");
      c.receive("2[\"x\"]");
      assertEquals(List.of("2 [\"a\",{\"b\":1}]", "0 []"), seen);
    }
  }

  @Test
  void toArrayReEmitsTheArgumentsAsTheyCameAndArgsAsOneValueIsAnArray() {
    try (InMemorySocketIo sio = new InMemorySocketIo()) {
      sio.io().onConnection(s -> s.on("echo", (args, ack) -> {
        s.emit("spread", args.toArray());
        s.emit("nested", args);
      }));
      FakeEngineIoConnection c = sio.client();
      c.receive("2[\"echo\",1,\"two\",{\"three\":[3]}]");
      assertEquals(List.of("2[\"spread\",1,\"two\",{\"three\":[3]}]", "2[\"nested\",[1,\"two\",{\"three\":[3]}]]"),
          c.sent());
    }
  }

  @Test
  void binaryArgumentsTravelBackAsAttachments() {
    try (InMemorySocketIo sio = new InMemorySocketIo()) {
      sio.io().onConnection(s -> s.on("echo", (args, ack) -> ack.send(args.toArray())));
      FakeEngineIoConnection c = sio.client();
      c.receive("51-4[\"echo\",{\"_placeholder\":true,\"num\":0}]");
      c.receive(new byte[] {5, 6});
      assertEquals(List.of("61-4[{\"_placeholder\":true,\"num\":0}]", FakeEngineIoConnection.binary(5, 6)), c.sent());
    }
  }
}
