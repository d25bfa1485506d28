"""python-socketio (Debian's python3-socketio) as a third-party client of Switchboard (issue #12).

Usage: python3 client.py <server url> <scenario>
Prints "OK" and exits 0 when the scenario holds; prints what went wrong and exits 1 otherwise.
The server is JUnit's PythonClientTest: "/" needs auth {"token": "secret"}; "bytes" acks
[repr of the bytes, the bytes]; "ask" emits "question" to the client with an ack and acks back
"client said <answer>"; "transport" acks the server's transport name; "/admin" acks
"ping-admin" with "admin pong".
"""
import sys
import threading
import time

import socketio

URL, SCENARIO = sys.argv[1], sys.argv[2]
WAIT = 10


def fail(what):
    print("FAIL " + what, flush=True)
    sys.exit(1)


def check(cond, what):
    if not cond:
        fail(what)


def client(**kw):
    sio = socketio.Client(reconnection=kw.pop("reconnection", False))
    sio.on("question", lambda text: "yes to " + text)
    return sio


def exchange(sio):
    payload = bytes((i * 7) % 256 for i in range(300))
    answer = sio.call("bytes", payload, timeout=WAIT)
    check(isinstance(answer, (list, tuple)) and len(answer) == 2, "bytes ack: %r" % (answer,))
    check(answer[0] == "[" + ", ".join(str(b if b < 128 else b - 256) for b in payload) + "]", "bytes ack text: %r" % answer[0])
    check(answer[1] == payload, "bytes ack binary: %r" % answer[1][:20])
    check(sio.call("ask", "tea?", timeout=WAIT) == "client said yes to tea?", "ask")


def connect_and_exchange(transports):
    sio = client()
    welcome = []
    welcomed = threading.Event()
    sio.on("welcome", lambda t: (welcome.append(t), welcomed.set()))
    sio.connect(URL, auth={"token": "secret"}, transports=transports, wait_timeout=WAIT)
    exchange(sio)
    check(welcomed.wait(WAIT) and welcome == [transports[0]], "welcome: %r" % welcome)
    sio.disconnect()


def upgrade():
    sio = client()
    sio.connect(URL, auth={"token": "secret"}, wait_timeout=WAIT)
    deadline = time.time() + WAIT
    seen = None
    while time.time() < deadline:
        seen = sio.call("transport", timeout=WAIT)
        if seen == "websocket":
            break
        time.sleep(0.05)
    check(seen == "websocket", "the server never saw the upgrade: %r" % seen)
    check(sio.transport() == "websocket", "client transport " + sio.transport())
    exchange(sio)
    sio.disconnect()


def namespaces():
    sio = client()
    sio.connect(URL, namespaces=["/", "/admin"], auth={"token": "secret"}, transports=["websocket"], wait_timeout=WAIT)
    check(sio.call("ping-admin", namespace="/admin", timeout=WAIT) == "admin pong", "admin")
    exchange(sio)
    sio.disconnect()


def refused():
    sio = client()
    errors = []
    sio.on("connect_error", lambda data: errors.append(data))
    try:
        # This client waits out wait_timeout after a refused CONNECT before it raises.
        sio.connect(URL, auth={"token": "wrong"}, transports=["websocket"], wait_timeout=2)
        fail("connected with a wrong token")
    except socketio.exceptions.ConnectionError:
        pass
    check(errors and errors[0].get("message") == "unauthorized", "connect_error: %r" % errors)
    check(errors[0].get("data") == {"code": "BAD_TOKEN"}, "connect_error data: %r" % errors)


def server_disconnect():
    sio = client()
    gone = threading.Event()
    sio.on("disconnect", lambda: gone.set())
    sio.connect(URL, auth={"token": "secret"}, transports=["websocket"], wait_timeout=WAIT)
    sio.emit("kick-me")
    check(gone.wait(WAIT), "no disconnect after the server disconnected the socket")


def reconnection():
    # The harness (PythonClientTest) stops the server when it reads "CONNECTED" and starts a new
    # one on the same port; the client must notice, reconnect on its own and work again.
    sio = socketio.Client(reconnection=True, reconnection_delay=0.05, reconnection_delay_max=0.2,
                          randomization_factor=0)
    sio.on("question", lambda text: "yes to " + text)
    connects = []
    again = threading.Event()
    lost = threading.Event()
    sio.on("connect", lambda: (connects.append(sio.sid), len(connects) > 1 and again.set()))
    sio.on("disconnect", lambda: lost.set())
    sio.connect(URL, auth={"token": "secret"}, transports=["websocket"], wait_timeout=WAIT)
    print("CONNECTED", flush=True)
    check(lost.wait(WAIT), "no disconnect when the server went away")
    check(again.wait(WAIT), "no reconnection once the server was back")
    check(connects[0] != connects[-1], "the same session after the server restarted: %r" % connects)
    exchange(sio)
    sio.disconnect()


{
    "polling": lambda: connect_and_exchange(["polling"]),
    "websocket": lambda: connect_and_exchange(["websocket"]),
    "upgrade": upgrade,
    "namespaces": namespaces,
    "refused": refused,
    "server-disconnect": server_disconnect,
    "reconnection": reconnection,
}[SCENARIO]()
print("OK", flush=True)
