// The page of examples/authenticate: what the tutorial's step-4 client does, written for this server.
// - The password is sent once, in the "authenticate" event, and then forgotten (the form is cleared):
//   after a reconnection the server no longer knows us, so the login form comes back.
// - Text is inserted with textContent, never innerHTML.
const socket = io();
const $ = (id) => document.getElementById(id);

function show(text, kind) {
  const p = document.createElement("p");
  p.textContent = text;
  if (kind) p.className = kind;
  $("messages").appendChild(p);
}

function showLogin(why) {
  $("chat").hidden = true;
  $("login").hidden = false;
  $("login-error").textContent = why || "";
}

$("login").addEventListener("submit", (e) => {
  e.preventDefault();
  socket.emit("authenticate", { username: $("username").value, password: $("password").value });
  $("password").value = "";
});

socket.on("authenticated", (response) => {
  if (response.success) {
    $("login").hidden = true;
    $("chat").hidden = false;
    $("current-user").textContent = response.username;
    $("login-error").textContent = "";
  } else {
    showLogin(response.error || "Login failed. Please try again.");
  }
});

socket.on("message", (text) => show(text));
socket.on("error", (why) => show("Refused: " + why, "error"));
socket.on("disconnect", () => showLogin("Disconnected: please log in again."));

$("send").addEventListener("submit", (e) => {
  e.preventDefault();
  if ($("message").value) socket.emit("message", $("message").value);
  $("message").value = "";
});
