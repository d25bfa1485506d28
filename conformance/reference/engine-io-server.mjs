// Node's engine.io running the Engine.IO test application (README.md): PORT=3002 node reference/engine-io-server.mjs
import { listen } from "engine.io";

const server = listen(Number(process.env.PORT || 3002), { pingInterval: 300, pingTimeout: 200, maxPayload: 1e6 });
server.on("connection", (socket) => {
  socket.on("message", (data) => {
    if (data === "__server_close__") socket.close();
    else socket.send(data);
  });
});
console.log(`listening on http://localhost:${process.env.PORT || 3002}`);
