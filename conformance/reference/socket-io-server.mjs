// Node's socket.io running the Socket.IO test application (README.md), to validate the scenarios:
//   PORT=3001 [RECOVERY=1] [PARSER=msgpack] node reference/socket-io-server.mjs
import { Server } from "socket.io";
import msgpackParser from "socket.io-msgpack-parser";

const io = new Server(Number(process.env.PORT || 3001), {
  pingInterval: 300,
  pingTimeout: 200,
  connectTimeout: 1000,
  maxHttpBufferSize: 1e6,
  ...(process.env.RECOVERY ? { connectionStateRecovery: { maxDisconnectionDuration: 60000 } } : {}),
  ...(process.env.PARSER === "msgpack" ? { parser: msgpackParser } : {}),
});

io.on("connection", (socket) => {
  socket.emit("auth", socket.handshake.auth);
  socket.on("message", (...args) => socket.emit("message-back", ...args));
  socket.on("message-with-ack", (...args) => args.pop()(...args));
  socket.on("echo", (...args) => {
    if (typeof args[args.length - 1] === "function") args.pop()(...args);
    else socket.emit("echo", ...args);
  });
  socket.on("never-ack", () => {});
  socket.on("join", (room, ack) => { socket.join(room); ack(true); });
  socket.on("leave", (room, ack) => { socket.leave(room); ack(true); });
  socket.on("to-room", (room, payload, ack) => { socket.to(room).emit("room-message", payload); ack(true); });
  socket.on("to-room-except", (room, except, payload, ack) => { io.to(room).except(except).emit("room-message", payload); ack(true); });
  socket.on("volatile", (n) => { for (let i = 0; i < n; i++) socket.volatile.emit("v", i); });
  socket.on("server-ack", async (timeout, ack) => {
    try {
      ack({ ok: true, answer: await socket.timeout(timeout).emitWithAck("question", 42) }); // first ack argument
    } catch (e) {
      ack({ ok: false, error: e.message });
    }
  });
  socket.on("server-ack-binary", async (timeout, ack) => {
    try {
      const buf = await socket.timeout(timeout).emitWithAck("question", 42);
      ack({ ok: true, bytes: Array.from(buf) });
    } catch (e) {
      ack({ ok: false, error: e.message });
    }
  });
  socket.on("send-binary", () => socket.emit("binary", { data: Buffer.from([0, 1, 2, 253, 254, 255]) }));
  socket.on("ack-all", (room, timeout, ack) => {
    const members = [...(io.sockets.adapter.rooms.get(room) || [])];
    io.to(room).timeout(timeout).emit("poll", (err, responses) => {
      // Clients answer with their own id, so the silent ones are the members not answering.
      if (err) ack({ ok: false, error: err.message, responses, missing: members.filter((id) => !responses.includes(id)) });
      else ack({ ok: true, responses });
    });
  });
  socket.on("disconnect-me", (close) => socket.disconnect(close));
});

io.of("/custom").on("connection", (socket) => socket.emit("auth", socket.handshake.auth));
io.of("/private").use((socket, next) => {
  if (socket.handshake.auth.token === "secret") return next();
  const err = new Error("unauthorized");
  err.data = { code: "BAD_TOKEN" };
  next(err);
}).on("connection", (socket) => socket.emit("welcome", "private"));
io.of(/^\/dyn-\d+$/).on("connection", (socket) => socket.emit("hello", socket.nsp.name));

console.log(`listening on http://localhost:${process.env.PORT || 3001}`);
