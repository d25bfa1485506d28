// The page of examples/jwt: what the tutorial's JWT client does, written for this server.
// The token lives in this page's memory only (a reload logs out), is sent in the CONNECT packet's
// auth payload (never in the URL), and text is inserted with textContent, never innerHTML.
const $ = (id) => document.getElementById(id);
let socket = null;

function show(text, kind) {
  const p = document.createElement("p");
  p.textContent = text;
  if (kind) p.className = kind;
  $("messages").appendChild(p);
}

async function login(username, password) {
  let response;
  try {
    response = await fetch("/login", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username, password }),
    });
  } catch {
    $("login-error").textContent = "Login failed. Please try again.";
    return;
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    $("login-error").textContent = data.error || `Login failed (HTTP ${response.status})`;
    return;
  }
  socket = io({ auth: { token: data.token } });
  socket.on("connect", () => {
    $("login").hidden = true;
    $("chat").hidden = false;
    $("current-user").textContent = data.username;
    $("login-error").textContent = "";
  });
  socket.on("connect_error", (error) => {
    // A refused token will not get better by retrying: back to the login form.
    $("login-error").textContent = "Connection failed: " + error.message;
    logout();
  });
  socket.on("message", (text) => show(text));
  socket.on("error", (why) => show("Refused: " + why, "error"));
}

function logout() {
  if (socket) socket.disconnect();
  socket = null;
  $("login").hidden = false;
  $("chat").hidden = true;
  $("messages").replaceChildren();
}

$("login").addEventListener("submit", (e) => {
  e.preventDefault();
  login($("username").value, $("password").value);
  $("password").value = "";
});
$("send").addEventListener("submit", (e) => {
  e.preventDefault();
  if (socket && socket.connected && $("message").value) socket.emit("message", $("message").value);
  $("message").value = "";
});
$("logout").addEventListener("click", logout);
