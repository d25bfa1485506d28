// Correctness with the official client (socket.io-client 4.8.4): refusals, echo (text and binary),
// broadcast and rooms over WebSocket, polling and polling→upgrade; JWT mode. Not timed.
import { createHmac } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { io } from "socket.io-client";
import { check, loopbackOnly, within } from "./common.mjs";

const T = 10_000;

function client(url, opts) {
  loopbackOnly(url);
  return io(url, { reconnection: false, forceNew: true, timeout: T, ...opts });
}

function connected(socket) {
  return within(T, "connect", new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (e) => reject(new Error(`connect_error ${e.message}`)));
  }));
}

async function refused(url, opts, what) {
  const s = client(url, opts);
  const message = await within(T, `refusal (${what})`, new Promise((resolve) => {
    s.once("connect", () => resolve("<connected>"));
    s.once("connect_error", (e) => resolve(e.message));
  }));
  s.close();
  check(message === "unauthorized", `${what}: expected connect_error "unauthorized", got ${message}`);
}

/** Waits until every socket received `event` `count` times in total, then checks nothing more comes (barrier). */
function collect(sockets, event) {
  const got = sockets.map(() => []);
  sockets.forEach((s, i) => s.on(event, (...args) => got[i].push(args)));
  return got;
}

async function barrier(sender, sockets, tag) {
  const seen = sockets.map((s) => new Promise((resolve) => {
    const h = (x) => {
      if (isDeepStrictEqual(x, { barrier: tag })) {
        s.off("bcast", h);
        resolve();
      }
    };
    s.on("bcast", h);
  }));
  check((await sender.timeout(T).emitWithAck("broadcast", { barrier: tag })) === true, "barrier broadcast not acked true");
  await within(T, `barrier ${tag}`, Promise.all(seen));
}

export async function correctness({ url }) {
  const checks = [];
  const ok = (name) => checks.push(name);
  for (const transports of [["websocket"], ["polling"], ["polling", "websocket"]]) {
    const t = transports.join("+");
    await refused(url, { transports, auth: { token: "wrong" } }, `bad token over ${t}`);
    await refused(url, { transports }, `no auth over ${t}`);
  }
  await refused(url, { auth: { token: 42 } }, "a number as token");
  ok("bad and missing tokens refused with connect_error unauthorized (websocket, polling, upgrade)");

  const a = await connected(client(url, { transports: ["websocket"], auth: { token: "bench-secret" } }));
  const b = await connected(client(url, { transports: ["polling"], auth: { token: "bench-secret" } }));
  const c = client(url, { auth: { token: "bench-secret" } });
  const upgraded = within(T, "upgrade to websocket", new Promise((r) => c.io.engine.once("upgrade", r)));
  await connected(c);
  await upgraded;
  check(c.io.engine.transport.name === "websocket", "client C did not end on websocket");
  check(b.io.engine.transport.name === "polling", "client B left polling");
  ok("polling-only, websocket-only and polling→websocket clients connect with the right token");
  const all = [a, b, c];

  const payload = { n: 1, s: "héllo ✓ 😀 \"quoted\" \\ </script>", arr: [1, 2.5, null, true, "x"], nested: { deep: { ok: false } } };
  for (const [i, s] of all.entries()) {
    const echoed = await s.timeout(T).emitWithAck("echo", payload);
    check(isDeepStrictEqual(echoed, payload), `echo on client ${i} answered ${JSON.stringify(echoed)}`);
    const bin = Buffer.from([0, 1, 2, 127, 128, 254, 255]);
    const back = await s.timeout(T).emitWithAck("echo", { bin, tag: "binary" });
    check(Buffer.isBuffer(back?.bin) && back.bin.equals(bin) && back.tag === "binary", `binary echo on client ${i} answered ${JSON.stringify(back)}`);
    const many = await Promise.all(Array.from({ length: 50 }, (_, k) => s.timeout(T).emitWithAck("echo", { k })));
    check(many.every((x, k) => x.k === k), `50 concurrent echoes on client ${i} came back wrong`);
  }
  ok("echo acks the payload unchanged (unicode, nested, binary attachment, 50 concurrent) on all transports");

  const bcasts = collect(all, "bcast");
  const ack = await a.timeout(T).emitWithAck("broadcast", { hello: "all" });
  check(ack === true, `broadcast acked ${ack}`);
  await barrier(b, all, 1);
  bcasts.forEach((got, i) => {
    const first = got.filter(([x]) => isDeepStrictEqual(x, { hello: "all" }));
    check(first.length === 1, `client ${i} got the broadcast ${first.length} times`);
  });
  ok("broadcast reaches every socket exactly once, sender included, and is acked true");

  const roomMsgs = collect(all, "roomMsg");
  check((await a.timeout(T).emitWithAck("join", "room-x")) === true, "join not acked true");
  check((await b.timeout(T).emitWithAck("join", "room-x")) === true, "join not acked true");
  check((await c.timeout(T).emitWithAck("toRoom", "room-x", { to: "x" })) === true, "toRoom not acked true");
  await barrier(c, all, 2);
  check(roomMsgs[0].length === 1 && roomMsgs[1].length === 1, `room members got ${roomMsgs[0].length} and ${roomMsgs[1].length} roomMsg`);
  check(isDeepStrictEqual(roomMsgs[0][0], [{ to: "x" }]), `roomMsg carried ${JSON.stringify(roomMsgs[0][0])}`);
  check(roomMsgs[2].length === 0, "a socket outside the room got roomMsg");
  check((await c.timeout(T).emitWithAck("toRoom", "room-empty", 1)) === true, "toRoom to an empty room not acked true");
  ok("toRoom reaches the room's members once and nobody else; join and toRoom ack true");

  for (const s of all) s.close();
  return { checks };
}

export function makeJwt(secret, claims, { alg = "HS256" } = {}) {
  const enc = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const head = `${enc({ alg, typ: "JWT" })}.${enc(claims)}`;
  if (alg === "none") return `${head}.`;
  return `${head}.${createHmac("sha256", secret).update(head).digest("base64url")}`;
}

/** The server runs with AUTH_MODE=jwt and JWT_SECRET=ctx.env.JWT_SECRET. */
export async function correctnessJwt({ url, env }) {
  const secret = env.JWT_SECRET;
  const now = Math.floor(Date.now() / 1000);
  const good = makeJwt(secret, { sub: "bench", exp: now + 300 });
  const s = await connected(client(url, { transports: ["websocket"], auth: { token: good } }));
  check(isDeepStrictEqual(await s.timeout(T).emitWithAck("echo", { jwt: true }), { jwt: true }), "echo with a JWT session failed");
  s.close();
  const p = await connected(client(url, { transports: ["polling"], auth: { token: good } }));
  p.close();
  await refused(url, { auth: { token: makeJwt(secret, { sub: "bench", exp: now - 60 }) } }, "an expired JWT");
  await refused(url, { auth: { token: makeJwt(secret, { sub: "bench" }) } }, "a JWT without exp");
  await refused(url, { auth: { token: makeJwt(`${secret}-other`, { sub: "bench", exp: now + 300 }) } }, "a JWT with another secret");
  await refused(url, { auth: { token: makeJwt(secret, { sub: "bench", exp: now + 300 }, { alg: "none" }) } }, "alg none");
  await refused(url, { auth: { token: "bench-secret" } }, "the static token in JWT mode");
  await refused(url, { auth: { token: "a.b.c" } }, "garbage");
  return { checks: ["JWT mode: a valid HS256 token connects (websocket, polling); expired, exp-less, wrongly signed, alg none, static and garbage tokens are refused"] };
}
