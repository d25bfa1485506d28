// socket.io-client 4.8 (Node, over the `ws` package, which offers permessage-deflate by default)
// against a Switchboard server with perMessageDeflate on: run by SocketIoPerMessageDeflateTest.
// Counts the messages ws compresses and inflates, to see which frames were compressed.
import { io } from "socket.io-client";

const url = process.env.SERVER_URL;
const fail = (message) => {
  console.error(message);
  process.exit(1);
};
const within = (promise, what) => Promise.race([
  promise,
  new Promise((_, reject) => setTimeout(() => reject(new Error("timed out: " + what)), 5000)),
]);

const socket = io(url, { transports: ["websocket"], reconnection: false, forceNew: true });
await within(new Promise((resolve, reject) => {
  socket.on("connect", resolve);
  socket.on("connect_error", reject);
}), "connect");

const ws = socket.io.engine.transport.ws;
const deflate = ws._extensions["permessage-deflate"];
if (!deflate) fail("permessage-deflate was not negotiated: " + JSON.stringify(ws.extensions));
const noTakeover = process.env.SERVER_NO_CONTEXT_TAKEOVER === "1";
if (Boolean(deflate.params.server_no_context_takeover) !== noTakeover) {
  fail("server_no_context_takeover: expected " + noTakeover + ", got " + JSON.stringify(deflate.params));
}
const counts = { compressed: 0, inflated: 0 };
const compress = deflate.compress.bind(deflate);
const decompress = deflate.decompress.bind(deflate);
deflate.compress = (data, fin, cb) => { counts.compressed++; compress(data, fin, cb); };
deflate.decompress = (data, fin, cb) => { counts.inflated++; decompress(data, fin, cb); };
const expect = (compressed, inflated, what) => {
  if (counts.compressed !== compressed || counts.inflated !== inflated) {
    fail(what + ": expected " + compressed + " compressed / " + inflated + " inflated, got " + JSON.stringify(counts));
  }
};

const big = "hello world ".repeat(500);
const next = (event) => within(new Promise((resolve) => socket.once(event, resolve)), event);

// Both ways: the client compresses its 6 KB event, the server inflates it and acks it compressed.
for (let i = 1; i <= 3; i++) {
  const echoed = await within(socket.emitWithAck("echo", big + i), "echo");
  if (echoed !== big + i) fail("echo " + i + " came back different");
  expect(i, i, "echo " + i);
}
// Under the 1024-byte threshold on both sides: nothing compressed.
if ((await within(socket.emitWithAck("echo", "small"), "small echo")) !== "small") fail("small echo");
expect(3, 3, "small echo");
// socket.compress(false).emit: the server sends it plain.
let got = next("plain");
socket.emit("send-plain", "x");
if ((await got) !== big) fail("plain event came back different");
expect(3, 3, "compress(false)");
// A broadcast to two sockets, compressed by the server.
const other = io(url, { transports: ["websocket"], reconnection: false, forceNew: true });
await within(new Promise((resolve) => other.on("connect", resolve)), "second connect");
const otherGot = within(new Promise((resolve) => other.once("news", resolve)), "news on the second client");
got = next("news");
socket.emit("broadcast", "x");
if ((await got) !== big || (await otherGot) !== big) fail("broadcast came back different");
expect(3, 4, "broadcast");
// The same broadcast with compress(false): plain for everyone.
got = next("news");
socket.emit("broadcast-plain", "x");
if ((await got) !== big) fail("plain broadcast came back different");
expect(3, 4, "broadcast with compress(false)");

// Polling first, then the upgrade: the WebSocket of the upgrade negotiates it too.
const upgraded = io(url, { reconnection: false, forceNew: true });
await within(new Promise((resolve) => upgraded.io.engine.once("upgrade", resolve)), "upgrade");
if (!upgraded.io.engine.transport.ws._extensions["permessage-deflate"]) fail("not negotiated on the upgrade");
if ((await within(upgraded.emitWithAck("echo", big), "echo after the upgrade")) !== big) fail("echo after the upgrade");

upgraded.disconnect();
other.disconnect();
socket.disconnect();
console.log("ok");
process.exit(0);
