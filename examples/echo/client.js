// The page of examples/echo: what the tutorial's step-2 client does, written for this server.
// Messages are inserted with textContent, never innerHTML: a message is text, even "<img onerror=...>".
const socket = io();
const messages = document.getElementById("messages");
const input = document.getElementById("message");

function show(text, kind) {
  const p = document.createElement("p");
  p.textContent = text;
  if (kind) p.className = kind;
  messages.appendChild(p);
}

socket.on("message", (text) => show(text));
socket.on("error", (why) => show("Refused: " + why, "error"));

document.getElementById("send").addEventListener("submit", (e) => {
  e.preventDefault();
  if (input.value) socket.emit("message", input.value);
  input.value = "";
});
