// The failover audit (run by deploy/ha/audit): writers post through the load balancer, each message with its own
// Idempotency-Key, retrying a post whose outcome they do not know (a connection error, a 503) with the same key until
// it is answered 201; followers read every room's stream and resume with Last-Event-ID whenever it breaks. Meanwhile
// the PostgreSQL primary is killed (SIGKILL: its machine is lost) and the standby takes over, an instance is killed,
// the old primary comes back as a standby and the instance comes back. Then every acknowledged post must be stored
// exactly once, every stream must hold every message of its room once and in order, and nothing but 201, 503
// problem+json and connection errors may have been answered during the faults.
import { execFile, execFileSync } from "node:child_process";
import { connect } from "node:net";
import { promisify } from "node:util";

const lb = process.env.CHAT_HA_URL ?? `http://127.0.0.1:${process.env.CHAT_HA_PORT ?? 8080}`;
const writerCount = Number(process.env.AUDIT_WRITERS ?? 12);
const roomCount = Number(process.env.AUDIT_ROOMS ?? 4);
const pauseMillis = Number(process.env.AUDIT_PAUSE_MILLIS ?? 150); // per writer between posts: under 600 a minute
const run = Date.now().toString(36);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const ctl = (...args) => execFileSync("deploy/ha/ctl", args, { encoding: "utf8" }).trim();
// The faults run beside the load: the writers' answers keep being timed while the command runs.
const ctlBeside = async (...args) => (await promisify(execFile)("deploy/ha/ctl", args, { encoding: "utf8" })).stdout.trim();
const token = (sub, ...groups) => execFileSync("bin/token", [sub, ...groups], { encoding: "utf8" }).trim();
const started = Date.now();
const at = (t = Date.now()) => `${((t - started) / 1000).toFixed(1).padStart(6)} s`;
const say = (line) => console.log(`${at()}  ${line}`);

const statuses = new Map(); // "201", "503 problem", "connection error", ...: how often each was answered
const violations = [];
const count = (what) => statuses.set(what, (statuses.get(what) ?? 0) + 1);
const isProblem = (response) => (response.headers.get("content-type") ?? "").startsWith("application/problem+json");

// Every answer is counted; one that is not 201 (200 for streams), 503 problem+json or a connection error is a
// violation of the audit.
function judge(response, expected, what) {
  if (response.status === expected) {
    count(String(expected));
    return "ok";
  }
  if (response.status === 503 && isProblem(response)) {
    count("503 problem+json");
    return "retry";
  }
  count(`${response.status} ${response.headers.get("content-type")}`);
  violations.push(`${at()} ${what}: ${response.status} ${response.headers.get("content-type")}`);
  return "retry";
}

// What the load balancer refuses before any instance sees it: raw requests, since no HTTP client sends them.
function raw(request) {
  const { hostname, port } = new URL(lb);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(request));
    let answer = "";
    socket.on("data", (data) => { answer += data; });
    socket.on("end", () => resolve(answer));
    socket.on("error", reject);
  });
}
const refusals = [
  ["a malformed percent-escape", "GET /room/%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", 400],
  ["a truncated percent-escape", "GET /room/%4 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", 400],
  ["an escaped NUL", "GET /room/a%00b HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", 400],
  ["an invalid Host", "GET /room HTTP/1.1\r\nHost: bad host!\r\nConnection: close\r\n\r\n", 400],
  // Refused by HAProxy's parser, below the layer its error files reach (HAProxy 2.6): 400, with its own page.
  ["two Hosts", "GET /room HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n", 400, "parser"],
  ["no Host", "GET /room HTTP/1.1\r\nConnection: close\r\n\r\n", 400],
  ["TRACE", "TRACE /room HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer secret-token\r\nConnection: close\r\n\r\n", 405],
];
for (const [what, request, status, by] of refusals) {
  const answer = await raw(request);
  const ok = answer.startsWith(`HTTP/1.1 ${status} `)
    && (by === "parser" || /\r\ncontent-type: application\/problem\+json\r\n/i.test(answer))
    && !answer.includes("secret-token") && (status !== 405 || /\r\nallow: /i.test(answer));
  if (!ok) violations.push(`the load balancer answered ${what} with: ${answer.split("\r\n")[0]}`);
}
say(`load balancer: ${refusals.length} malformed requests refused`);

const pro = token(`audit-${run}-reader`, "pro");
async function createRoom() {
  for (;;) {
    try {
      const response = await fetch(`${lb}/room`, { method: "POST", headers: { Authorization: `Bearer ${pro}`,
        "Idempotency-Key": `room-${run}-${Math.random()}` } });
      if (response.status === 201) return (await response.json()).newRoom._id;
    } catch { /* the topology is still coming up */ }
    await sleep(500);
  }
}
const rooms = [];
for (let i = 0; i < roomCount; i++) rooms.push(await createRoom());

// Followers: one per room, resuming with Last-Event-ID.
const followers = rooms.map((room) => ({ room, events: [], lastId: "0", connections: 0 }));
let following = true;
async function follow(follower) {
  while (following) {
    const controller = new AbortController();
    follower.abort = () => controller.abort();
    try {
      const response = await fetch(`${lb}/room/${follower.room}/events`, { signal: controller.signal,
        headers: { Authorization: `Bearer ${pro}`, Accept: "text/event-stream", "Last-Event-ID": follower.lastId } });
      if (judge(response, 200, `stream of ${follower.room}`) !== "ok") {
        await response.body?.cancel();
        await sleep(300);
        continue;
      }
      follower.connections++;
      const decoder = new TextDecoder();
      let buffer = "";
      let event = { type: "message", id: null, data: "" };
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk, { stream: true });
        let newline;
        while ((newline = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, newline).replace(/\r$/, "");
          buffer = buffer.slice(newline + 1);
          if (line === "") {
            if (event.id !== null) {
              follower.lastId = event.id;
              if (event.type === "message") {
                const message = JSON.parse(event.data);
                follower.events.push({ position: Number(event.id), id: message._id, text: message.chat });
              }
            }
            event = { type: "message", id: null, data: "" };
          } else if (line.startsWith("id:")) {
            event.id = line.slice(3).trim();
          } else if (line.startsWith("event:")) {
            event.type = line.slice(6).trim();
          } else if (line.startsWith("data:")) {
            event.data += line.slice(5).replace(/^ /, "");
          }
        }
      }
    } catch {
      if (following) count("connection error (stream)");
    }
    if (following) await sleep(200);
  }
}
const followed = followers.map(follow);

// Writers: each posts its own numbered messages, in turn into every room.
const acknowledged = new Map(); // text -> { id, room }
let writing = true;
let firstAckAfter = null; // { since, at }: the first 201 to a post sent after a fault
const unknownOutcomes = { resolved: 0, replayed: 0 };
async function write(w) {
  const caller = token(`audit-${run}-writer-${w}`, "pro");
  for (let n = 1; writing; n++) {
    const room = rooms[(w + n) % rooms.length];
    const text = `audit ${run} writer ${w} message ${n}`;
    const key = `audit-${run}-${w}-${n}`;
    let unknown = false;
    for (;;) {
      const sent = Date.now();
      try {
        const response = await fetch(`${lb}/room/${room}/chat`, { method: "POST", signal: AbortSignal.timeout(20000),
          headers: { Authorization: `Bearer ${caller}`, "Content-Type": "application/json", "Idempotency-Key": key },
          body: JSON.stringify({ chat: text }) });
        if (judge(response, 201, `post ${key}`) === "ok") {
          const message = (await response.json()).chat;
          if (acknowledged.has(text)) violations.push(`${text} acknowledged twice`);
          acknowledged.set(text, { id: message._id, room });
          if (unknown) {
            unknownOutcomes.resolved++;
            if (response.headers.get("idempotent-replayed") === "true") unknownOutcomes.replayed++;
          }
          if (firstAckAfter && firstAckAfter.at === null && sent >= firstAckAfter.since) firstAckAfter.at = Date.now();
          break;
        }
        await response.body?.cancel();
      } catch {
        count("connection error (post)");
      }
      unknown = true;
      await sleep(200);
    }
    await sleep(pauseMillis);
  }
}
const written = Array.from({ length: writerCount }, (_, w) => write(w));

// The faults.
async function fault(name, action) {
  await action();
  // Timed from when the kill is done: a post sent before it may still have been acknowledged by what was killed.
  const since = Date.now();
  firstAckAfter = { since, at: null };
  while (firstAckAfter.at === null) await sleep(50);
  const seconds = (firstAckAfter.at - since) / 1000;
  say(`${name}: first post acknowledged ${seconds.toFixed(2)} s after`);
  return seconds;
}
const report = {};
say(`writing: ${writerCount} writers into ${roomCount} rooms, ${roomCount} followers`);
await sleep(15000);
const oldPrimary = ctl("primary");
say(`killing the PostgreSQL primary ${oldPrimary} (SIGKILL of Patroni and every PostgreSQL process)`);
report.failoverSeconds = await fault("database failover", () => ctlBeside("kill-db", oldPrimary));
for (;;) {  // the writers were answered by the new primary, and Patroni names it
  try {
    say(`new primary: ${ctl("primary")}`);
    break;
  } catch {
    await sleep(200);
  }
}
await sleep(15000);
say("killing instance app1 (SIGKILL)");
report.instanceKillSeconds = await fault("instance killed", () => ctlBeside("kill-app", "1"));
await sleep(10000);
say(`starting ${oldPrimary} again`);
const rejoin = Date.now();
await ctlBeside("start-db", oldPrimary);
await ctlBeside("wait-sync");
report.rejoinSeconds = (Date.now() - rejoin) / 1000;
say(`${oldPrimary} is the synchronous standby again after ${report.rejoinSeconds.toFixed(1)} s (pg_rewind)`);
say("starting instance app1 again");
await ctlBeside("start-app", "1");
await ctlBeside("wait-app", "1");
say("app1 serves again");
await sleep(10000);
writing = false;
await Promise.all(written);
say(`writers stopped: ${acknowledged.size} posts acknowledged`);

// The streams catch up, then the books are balanced against the database.
const rows = ctl("psql", "-d", "chat", "-tA", "-F", "\t", "-c",
  `SELECT room_id, position, id, body FROM message WHERE room_id IN (${rooms.map((r) => `'${r}'`).join(",")})
    ORDER BY room_id, position`).split("\n").filter(Boolean).map((line) => {
  const [room, position, id, text] = line.split("\t");
  return { room, position: Number(position), id, text };
});
const deadline = Date.now() + 60000;
for (const follower of followers) {
  const stored = rows.filter((row) => row.room === follower.room).length;
  while (follower.events.length < stored && Date.now() < deadline) await sleep(200);
}
following = false;
followers.forEach((follower) => follower.abort?.());
await Promise.allSettled(followed);

const storedTexts = new Map();
const rowByText = new Map();
for (const row of rows) {
  storedTexts.set(row.text, (storedTexts.get(row.text) ?? 0) + 1);
  rowByText.set(row.text, row);
}
let lost = 0;
let duplicated = 0;
let mismatched = 0;
for (const [text, ack] of acknowledged) {
  const copies = storedTexts.get(text) ?? 0;
  if (copies === 0) lost++;
  if (copies > 1) duplicated++;
  const row = rowByText.get(text);
  if (row && (row.id !== ack.id || row.room !== ack.room)) mismatched++;
}
const unacknowledged = rows.filter((row) => !acknowledged.has(row.text)).length;
const gaps = rooms.filter((room) => rows.filter((r) => r.room === room).some((r, i) => r.position !== i + 1)).length;
const incompleteStreams = followers.filter((follower) => {
  const expected = rows.filter((row) => row.room === follower.room);
  return follower.events.length !== expected.length
    || follower.events.some((event, i) => event.position !== expected[i].position || event.id !== expected[i].id);
}).length;

Object.assign(report, {
  acknowledged: acknowledged.size, stored: rows.length, lost, duplicated, mismatched, unacknowledged,
  positionGaps: gaps, streams: followers.length, incompleteStreams,
  streamConnections: followers.reduce((sum, f) => sum + f.connections, 0),
  unknownOutcomes, answers: Object.fromEntries(statuses), violations: violations.length,
});
console.log(JSON.stringify(report, null, 2));
violations.slice(0, 20).forEach((v) => console.log(`violation: ${v}`));
const ok = lost === 0 && duplicated === 0 && mismatched === 0 && unacknowledged === 0 && gaps === 0
  && incompleteStreams === 0 && violations.length === 0;
console.log(ok
  ? `PASSED: ${acknowledged.size} acknowledged posts stored exactly once, ${followers.length} streams complete and in order`
  : "FAILED");
process.exit(ok ? 0 : 1);
