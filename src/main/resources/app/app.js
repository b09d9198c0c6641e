"use strict";
// The web chat client: plain JavaScript on the service's own API, served at /app/.

const api = new URL("../", window.location.href);
const PAGE = 50;
const $ = id => document.getElementById(id);

let session = null;   // {token, subject, groups}
let current = null;   // the open room: {id, generation, ids, lastPosition, lastEventId, earlier, source, marked, marking}
let generation = 0;
let moreRooms = null;
let inbox = null;     // the inbox stream: {source, lastId}

// ---- identity -------------------------------------------------------------------------------------------------

function claimsOf(token) {
  const part = token.split(".")[1];
  if (!part) {
    throw new Error("This is not a JSON Web Token.");
  }
  const base64 = part.replace(/-/g, "+").replace(/_/g, "/");
  const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

function signIn(token) {
  const claims = claimsOf(token);
  if (!claims.sub) {
    throw new Error("The token names no subject.");
  }
  session = {token, subject: claims.sub, groups: claims.groups || []};
  sessionStorage.setItem("chat.token", token);
  $("who").textContent = "Signed in as " + session.subject
      + (session.groups.length ? " (" + session.groups.join(", ") + ")" : "");
  $("sign-in").hidden = true;
  $("workspace").hidden = false;
  $("sign-out").hidden = false;
  listRooms();
  followInbox({lastId: null});
}

function signOut(reason) {
  closeRoom();
  if (inbox && inbox.source) {
    inbox.source.close();
  }
  inbox = null;
  session = null;
  sessionStorage.removeItem("chat.token");
  $("who").textContent = "";
  $("sign-out").hidden = true;
  $("workspace").hidden = true;
  $("sign-in").hidden = false;
  $("sign-in-error").textContent = reason || "";
  $("token").focus();
}

// ---- HTTP -----------------------------------------------------------------------------------------------------

async function call(path, options = {}) {
  const headers = {Authorization: "Bearer " + session.token, ...(options.headers || {})};
  const response = await fetch(new URL(path, api), {...options, headers});
  if (response.status === 401) {
    signOut("The service no longer accepts this token (" + await problemOf(response) + "). Sign in again.");
    throw new Error("signed out");
  }
  return response;
}

async function problemOf(response) {
  try {
    const problem = await response.json();
    return problem.detail || problem.title || String(response.status);
  } catch (e) {
    return "HTTP " + response.status;
  }
}

function linkOf(response, rel) {
  const header = response.headers.get("Link") || "";
  const match = header.split(",").map(part => part.match(/<([^>]+)>\s*;\s*rel="([^"]+)"/))
      .find(found => found && found[2] === rel);
  return match ? match[1] : null;
}

function newKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, b => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

// ---- rooms ----------------------------------------------------------------------------------------------------

// The room list is the caller's inbox: every room it may read, the most recently active first (or those waiting
// for a reply, the longest waiting first), each with its unread count; the inbox stream keeps it current.

function roomItem(room) {
  const item = document.createElement("li");
  const button = document.createElement("button");
  button.type = "button";
  button.dataset.room = room._id;
  button.setAttribute("aria-current", String(current !== null && current.id === room._id));
  const id = document.createElement("span");
  id.textContent = room._id;
  const badges = document.createElement("span");
  badges.className = "badges";
  button.append(id, badges);
  button.addEventListener("click", () => openRoom(room._id));
  item.append(button);
  describe(button, room);
  return item;
}

function describe(button, room) {
  button.dataset.unread = String(room.unread || 0);
  button.dataset.waitingSince = room.waitingSince || "";
  const badges = button.querySelector(".badges");
  badges.replaceChildren();
  if (room.unread > 0) {
    const unread = document.createElement("span");
    unread.className = "badge unread";
    unread.textContent = room.unread + " unread";
    badges.append(unread);
  }
  if (room.waitingSince) {
    const waiting = document.createElement("span");
    waiting.className = "badge waiting";
    waiting.textContent = "waiting since " + new Date(room.waitingSince).toLocaleTimeString();
    badges.append(waiting);
  }
}

function listed(id) {
  return document.querySelector(`#room-list [data-room="${id}"]`);
}

async function listRooms(next) {
  $("rooms-error").textContent = "";
  if (!next) {
    $("room-list").replaceChildren();
  }
  const waiting = $("waiting-only").checked ? "&waiting=true" : "";
  const response = await call(next || `inbox?limit=${PAGE}${waiting}`);
  if (!response.ok) {
    $("rooms-error").textContent = await problemOf(response);
    return;
  }
  (await response.json()).rooms.filter(room => !listed(room._id))
      .forEach(room => $("room-list").append(roomItem(room)));
  moreRooms = linkOf(response, "next");
  $("more-rooms").hidden = !moreRooms;
}

// Reads a room's entry anew (its unread count and waiting time) and puts it first, as the most recently active.
async function refreshRoom(id) {
  const response = await call(`room/${encodeURIComponent(id)}`);
  if (!response.ok) {
    return;
  }
  const room = (await response.json()).room;
  const button = listed(id);
  if (button) {
    describe(button, room);
    if (!$("waiting-only").checked) {
      $("room-list").prepend(button.parentElement);
    }
  } else if (!$("waiting-only").checked || room.waitingSince) {
    $("room-list").prepend(roomItem(room));
  }
}

// Follows the inbox stream with a ticket, as a room's: a message in another room raises its unread count, a room
// that became readable joins the list.
async function followInbox(state) {
  inbox = state;
  while (inbox === state && session) {
    try {
      const response = await call("inbox/events/tickets", {method: "POST"});
      if (response.ok) {
        const ticket = await response.json();
        if (inbox !== state) {
          return;
        }
        const resume = state.lastId ? "&last_event_id=" + encodeURIComponent(state.lastId) : "";
        const source = new EventSource(new URL(ticket.url.slice(1) + resume, api));
        state.source = source;
        const seen = event => { state.lastId = event.lastEventId; };
        source.addEventListener("ready", seen);
        source.addEventListener("room", event => {
          seen(event);
          refreshRoom(JSON.parse(event.data).room).catch(() => {});
        });
        source.addEventListener("message", event => {
          seen(event);
          const data = JSON.parse(event.data);
          if (!current || current.id !== data.room) {
            refreshRoom(data.room).catch(() => {});
          }
        });
        source.onerror = () => {
          if (source.readyState === EventSource.CLOSED && inbox === state) {
            followInbox(state);
          }
        };
        return;
      }
    } catch (e) {
      if (!session) {
        return;
      }
    }
    await sleep(2000);
  }
}

// Marks the open room read up to its last message shown; one update at a time, the latest position last.
async function markRead(room) {
  if (room.marking || room.lastPosition <= room.marked) {
    return;
  }
  room.marking = true;
  const position = room.lastPosition;
  try {
    const response = await call(`room/${room.id}/marker`, {
      method: "PUT",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({position})
    });
    if (response.ok) {
      room.marked = (await response.json()).marker.position;
      const button = listed(room.id);
      if (button) {
        describe(button, {unread: 0, waitingSince: button.dataset.waitingSince || null});
      }
    }
  } finally {
    room.marking = false;
  }
  if (room === current && room.lastPosition > room.marked) {
    markRead(room);
  }
}

async function createRoom() {
  const response = await call("room", {method: "POST", headers: {"Idempotency-Key": newKey()}});
  if (response.status !== 201) {
    $("rooms-error").textContent = await problemOf(response);
    return;
  }
  const room = (await response.json()).newRoom;
  if (!listed(room._id) && !$("waiting-only").checked) {
    $("room-list").prepend(roomItem({...room, unread: 0, waitingSince: null}));
  }
  await openRoom(room._id);
}

async function openScopedChat(audience, scope) {
  const path = `api/v1/audiences/${encodeURIComponent(audience)}/chats/${encodeURIComponent(scope)}`;
  const response = await call(path);
  if (!response.ok) {
    $("rooms-error").textContent = await problemOf(response);
    return;
  }
  await openRoom((await response.json()).real_time.event_room_id);
}

// ---- one room: history, live, sending -------------------------------------------------------------------------

function closeRoom() {
  if (current && current.source) {
    current.source.close();
  }
  current = null;
  generation++;
}

async function openRoom(id) {
  closeRoom();
  $("rooms-error").textContent = "";
  const response = await call(`room/${encodeURIComponent(id)}`);
  if (!response.ok) {
    $("rooms-error").textContent = await problemOf(response);
    return;
  }
  const room = (await response.json()).room;
  // The stream starts after the room's latest post: changes made before it are in the history read below.
  current = {id: room._id, generation, ids: new Set(), lastPosition: room.__v, lastEventId: String(room.__v),
             earlier: null, source: null, marked: room.readPosition, marking: false};
  if (!listed(room._id) && !$("waiting-only").checked) {
    $("room-list").prepend(roomItem(room));
  }
  document.querySelectorAll("#room-list button").forEach(button =>
      button.setAttribute("aria-current", String(button.dataset.room === room._id)));
  $("room").hidden = false;
  $("room-title").textContent = "Room " + room._id;
  $("room-meta").textContent = "opened by " + room.user;
  $("messages").replaceChildren();
  const history = await call(`room/${room._id}/chat?before=${room.__v + 1}&limit=${PAGE}`);
  if (history.ok) {
    // A page holds the latest messages before "before", one per position (retention removes only the oldest).
    const chats = (await history.json()).chats;
    chats.forEach((message, i) => show(message, "end", room.__v - chats.length + 1 + i));
    current.earlier = linkOf(history, "prev");
  }
  $("earlier").hidden = !current.earlier;
  scrollToEnd();
  follow(current);
  markRead(current).catch(() => {});
  $("message").focus();
}

async function loadEarlier() {
  if (!current || !current.earlier) {
    return;
  }
  const room = current;
  const list = $("messages");
  const before = list.scrollHeight;
  const firstShown = Number(new URL(room.earlier, api).searchParams.get("before"));
  const response = await call(room.earlier.replace(/^\//, ""));
  if (room !== current || !response.ok) {
    return;
  }
  const chats = (await response.json()).chats;
  chats.reverse().forEach((message, i) => show(message, "start", firstShown - 1 - i));
  room.earlier = linkOf(response, "prev");
  $("earlier").hidden = !room.earlier;
  list.scrollTop += list.scrollHeight - before;
}

// Follows the room with a ticket (EventSource cannot send the token). The browser reconnects by itself with
// Last-Event-ID; once the ticket has expired its reconnects are refused, and a new ticket continues after the last
// event seen. Posts are unnamed events; edits and deletions are "edit" and "delete" events with the message as it
// is now, which replaces the one shown; a "purge" removes the messages retention removed.
async function follow(room) {
  while (room === current) {
    try {
      const response = await call(`room/${room.id}/events/tickets`, {method: "POST"});
      if (response.ok) {
        const ticket = await response.json();
        if (room !== current) {
          return;
        }
        const source = new EventSource(new URL(ticket.url.slice(1) + "&last_event_id="
            + encodeURIComponent(room.lastEventId), api));
        room.source = source;
        source.onopen = () => live("Live");
        source.onmessage = event => {
          room.lastEventId = event.lastEventId;
          room.lastPosition = Number(event.lastEventId);
          show(JSON.parse(event.data), "end", room.lastPosition);
          markRead(room).catch(() => {});
        };
        const changed = event => {
          room.lastEventId = event.lastEventId;
          update(JSON.parse(event.data));
        };
        source.addEventListener("edit", changed);
        source.addEventListener("delete", changed);
        source.addEventListener("purge", event => {
          room.lastEventId = event.lastEventId;
          purge(room, JSON.parse(event.data).purgedThrough);
        });
        source.onerror = () => {
          if (source.readyState === EventSource.CLOSED) {
            live("Reconnecting…");
            if (room === current) {
              follow(room);
            }
          } else {
            live("Reconnecting…");
          }
        };
        return;
      }
      live("Not live: " + await problemOf(response));
    } catch (e) {
      if (!session) {
        return;
      }
      live("Offline, retrying…");
    }
    await sleep(2000);
  }
}

function live(state) {
  $("live-state").textContent = state;
}

// Shows a message at its position in the room (known from its event id, or its place in a page of the history).
function show(message, where, position) {
  if (!current) {
    return;
  }
  if (current.ids.has(message._id)) {
    const shown = document.querySelector(`#messages li[data-id="${message._id}"]`);
    if (shown && position !== undefined) {
      shown.dataset.position = String(position);  // a message sent from this page, now confirmed by its event
    }
    return;
  }
  current.ids.add(message._id);
  const item = document.createElement("li");
  item.dataset.position = String(position);
  render(item, message);
  const list = $("messages");
  if (where === "start") {
    list.prepend(item);
    return;
  }
  const atEnd = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.insertBefore(item, list.querySelector("li.pending"));
  if (atEnd) {
    scrollToEnd();
  }
}

// Retention removed the room's messages up to this position: they go from the page, and so does the way to them.
function purge(room, through) {
  if (room !== current) {
    return;
  }
  document.querySelectorAll("#messages li[data-position]").forEach(item => {
    if (Number(item.dataset.position) <= through) {
      room.ids.delete(item.dataset.id);
      item.remove();
    }
  });
  if (room.earlier && Number(new URL(room.earlier, api).searchParams.get("before")) <= through + 1) {
    room.earlier = null;
    $("earlier").hidden = true;
  }
}

// Shows a message as it is now, in place of what was shown of it.
function update(message) {
  const item = current && document.querySelector(`#messages li[data-id="${message._id}"]`);
  if (item) {
    render(item, message);
  }
}

// A message: its author and time, its text (or that it was deleted, by whom and why), and what the caller may do
// with it: its author edits and deletes it; pro and admin delete any message.
function render(item, message) {
  item.className = (message.user === session.subject ? "mine" : "") + (message.deleted ? " deleted" : "");
  item.dataset.id = message._id;
  const author = document.createElement("span");
  author.className = "author";
  author.textContent = message.user;
  const time = document.createElement("time");
  time.className = "time";
  time.dateTime = message.createdAt;
  time.textContent = new Date(message.createdAt).toLocaleTimeString();
  author.append(time);
  if (message.editedAt && !message.deleted) {
    const edited = document.createElement("span");
    edited.className = "edited";
    edited.textContent = "edited";
    edited.title = "edited " + new Date(message.editedAt).toLocaleString();
    author.append(edited);
  }
  const text = document.createElement("span");
  text.className = "text";
  if (message.deleted) {
    text.textContent = "Message deleted" + (message.deletedBy !== message.user ? " by " + message.deletedBy : "")
        + (message.deleteReason ? ": " + message.deleteReason : "");
  } else {
    text.textContent = message.chat;
  }
  item.replaceChildren(author, text);
  if (!message.deleted) {
    const actions = document.createElement("span");
    actions.className = "actions";
    if (message.user === session.subject) {
      actions.append(action("Edit", () => startEdit(item, message)));
    }
    if (message.user === session.subject || moderates()) {
      actions.append(action("Delete", () => startDelete(item, message)));
    }
    if (actions.childElementCount) {
      item.append(actions);
    }
  }
}

function action(label, run) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "link";
  button.textContent = label;
  button.addEventListener("click", () => run());
  return button;
}

function moderates() {
  return session.groups.includes("pro") || session.groups.includes("admin");
}

// A form in place of part of a message (its text, or its actions): the fields, a submit button, Cancel (which shows
// the message again) and a line for the refusal, which "submit" gets to fill in.
function inlineForm(item, message, fields, label, submit) {
  const form = document.createElement("form");
  form.className = "edit-form";
  const button = document.createElement("button");
  button.type = "submit";
  button.textContent = label;
  const error = document.createElement("p");
  error.className = "error";
  error.setAttribute("role", "alert");
  form.append(...fields, button, action("Cancel", () => render(item, message)), error);
  form.addEventListener("submit", event => {
    event.preventDefault();
    submit(error).catch(() => {});
  });
  return form;
}

// Edits in place: the text becomes a field; Enter (or Save) sends it, Escape (or Cancel) puts the message back.
function startEdit(item, message) {
  const field = document.createElement("textarea");
  field.rows = 2;
  field.value = message.chat;
  field.setAttribute("aria-label", "Edit message");
  const form = inlineForm(item, message, [field], "Save", error => edit(item, message, field.value, error));
  field.addEventListener("keydown", event => {
    if (event.key === "Escape") {
      render(item, message);
    } else if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  item.querySelector(".text").replaceWith(form);
  item.querySelector(".actions")?.remove();
  field.focus();
}

async function edit(item, message, text, error) {
  const response = await call(`room/${current.id}/chat/${message._id}`, {
    method: "PATCH",
    headers: {"Content-Type": "application/json", "Idempotency-Key": newKey()},
    body: JSON.stringify({chat: text})
  });
  if (response.ok) {
    render(item, (await response.json()).chat);
  } else {
    error.textContent = await problemOf(response);
  }
}

// Deletes after a second click, in place; a moderator deleting another's message may give a reason.
function startDelete(item, message) {
  const fields = [];
  let reason = null;
  if (message.user !== session.subject) {
    reason = document.createElement("input");
    reason.maxLength = 500;
    reason.setAttribute("aria-label", "Reason (optional, shown to everyone)");
    reason.placeholder = "Reason (optional, shown to everyone)";
    fields.push(reason);
  }
  const form = inlineForm(item, message, fields, "Delete",
      error => remove(item, message, reason && reason.value.trim(), error));
  item.querySelector(".actions")?.replaceWith(form);
  (reason || form.querySelector("button[type=submit]")).focus();
}

async function remove(item, message, reason, error) {
  const query = reason ? "?reason=" + encodeURIComponent(reason) : "";
  const response = await call(`room/${current.id}/chat/${message._id}${query}`,
      {method: "DELETE", headers: {"Idempotency-Key": newKey()}});
  if (response.ok) {
    render(item, (await response.json()).chat);
  } else {
    error.textContent = await problemOf(response);
  }
}

function scrollToEnd() {
  const list = $("messages");
  list.scrollTop = list.scrollHeight;
}

// Sends once, whatever the retries: one Idempotency-Key per message, kept across every retry of a network error,
// a 408, a 503 or a 409 (the first attempt still running), until the message is stored or refused.
async function send(text) {
  const room = current;
  const key = newKey();
  const item = document.createElement("li");
  item.className = "pending mine";
  item.textContent = text + " (sending…)";
  $("messages").append(item);
  scrollToEnd();
  let delay = 500;
  while (session) {
    try {
      const response = await call(`room/${room.id}/chat`, {
        method: "POST",
        headers: {"Content-Type": "application/json", "Idempotency-Key": key},
        body: JSON.stringify({chat: text})
      });
      if (response.status === 201) {
        const message = (await response.json()).chat;
        if (room.ids.has(message._id)) {
          item.remove();
        } else {
          item.dataset.id = message._id;
          room.ids.add(message._id);
          render(item, message);
        }
        return;
      }
      if (![408, 409, 503].includes(response.status)) {
        item.className = "mine failed";
        item.textContent = text + " (not sent: " + await problemOf(response) + ")";
        return;
      }
    } catch (e) {
      // a network error: the message may or may not be stored; the retry with the same key tells
    }
    item.textContent = text + " (retrying…)";
    await sleep(delay);
    delay = Math.min(delay * 2, 10000);
  }
}

// ---- your data ------------------------------------------------------------------------------------------------

// Asks for an export of the caller's own data, follows the job, then offers its file (the link holds its key).
async function exportData() {
  const state = $("export-state");
  state.replaceChildren("Preparing your export…");
  const response = await call("exports", {method: "POST", headers: {"Idempotency-Key": newKey()}});
  if (response.status !== 202) {
    state.replaceChildren("Not exported: " + await problemOf(response));
    return;
  }
  const job = await response.json();
  for (let status = job; status.state !== "done"; ) {
    await sleep(1000);
    const progress = await call(`exports/${job.id}`);
    if (!progress.ok) {
      state.replaceChildren("Export failed: " + await problemOf(progress));
      return;
    }
    status = await progress.json();
    state.replaceChildren(`Preparing your export… ${status.lines} lines`);
  }
  const link = document.createElement("a");
  link.href = new URL(job.url.slice(1), api).href;
  link.download = `chat-api-export-${job.id}.jsonl`;
  link.textContent = "Download your data";
  state.replaceChildren(link, ` (until ${new Date(job.expiresAt).toLocaleString()})`);
}

// ---- wiring ---------------------------------------------------------------------------------------------------

$("sign-in-form").addEventListener("submit", event => {
  event.preventDefault();
  try {
    signIn($("token").value.trim());
    $("token").value = "";
  } catch (e) {
    $("sign-in-error").textContent = e.message;
  }
});
$("sign-out").addEventListener("click", () => signOut());
$("new-room").addEventListener("click", () => createRoom().catch(() => {}));
$("export-data").addEventListener("click", () => exportData().catch(() => {}));
$("more-rooms").addEventListener("click", () => listRooms(moreRooms.replace(/^\//, "")).catch(() => {}));
$("waiting-only").addEventListener("change", () => listRooms().catch(() => {}));
$("earlier").addEventListener("click", () => loadEarlier().catch(() => {}));
$("messages").addEventListener("scroll", () => {
  if ($("messages").scrollTop === 0) {
    loadEarlier().catch(() => {});
  }
});
$("open-room-form").addEventListener("submit", event => {
  event.preventDefault();
  openRoom($("room-id").value.trim()).catch(() => {});
});
$("open-chat-form").addEventListener("submit", event => {
  event.preventDefault();
  openScopedChat($("chat-audience").value.trim(), $("chat-scope").value.trim()).catch(() => {});
});
$("composer").addEventListener("submit", event => {
  event.preventDefault();
  const text = $("message").value;
  if (text.trim() && current) {
    $("message").value = "";
    send(text);
  }
});
$("message").addEventListener("keydown", event => {
  if (event.key === "Enter" && !event.shiftKey) {
    event.preventDefault();
    $("composer").requestSubmit();
  }
});

const saved = sessionStorage.getItem("chat.token");
if (saved) {
  try {
    signIn(saved);
  } catch (e) {
    signOut();
  }
}
