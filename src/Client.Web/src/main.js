// The chat page: renders what a ChatSession reports and turns form input into session calls.
import { ChatSession, PresenceStatuses, Status, conversationOf, login, reasonOf } from "./chat-session.js";

const $ = id => document.getElementById(id);
const loginForm = $("login");
const chat = $("chat");
const statusBadge = $("status");
const roomForm = $("room-form");
const sendForm = $("send-form");
const messageInput = $("message-input");
const messages = $("messages");
const members = $("members");
const errorBar = $("error");
const presenceForm = $("presence-form");
const presenceStatus = $("presence-status");
const presenceText = $("presence-text");
const myPresence = $("my-presence");
const typingLine = $("typing");

/** How long "… is typing" shows after a Typing, unless another refreshes it or their message arrives. */
const TYPING_SHOWN_MS = 5000;
const typists = new Map(); // user -> timer

presenceStatus.replaceChildren(...PresenceStatuses.map(status => new Option(status, status)));

let session = null;
let me = null;

$("login-name").value = localStorage.getItem("signalrchat.user") ?? "";

loginForm.addEventListener("submit", async event => {
  event.preventDefault();
  const user = $("login-name").value.trim();
  await run(async () => {
    await login(location.origin, user); // a clear error for a bad name before any connection is made
    localStorage.setItem("signalrchat.user", user);
    me = user;
    session = new ChatSession({ server: location.origin, user, messagePack: $("login-protocol").value === "messagepack" }, {
      status: showStatus,
      joined: info => {
        messages.replaceChildren();
        clearTypists();
        $("room-heading").textContent = info.title ? `${info.room}: ${info.title}` : info.room;
        setUnread(info.room, count => count); // listed from now on
        showCurrentChat();
        updateControls();
      },
      left: () => {
        messages.replaceChildren();
        clearTypists();
        members.replaceChildren();
        $("room-heading").textContent = "No room joined";
        showCurrentChat();
        updateControls();
      },
      message: showMessage,
      members: showMembers,
      presences: () => showMembers(currentMembers),
      self: showSelf,
      typing: showTypist,
      direct: showDirect,
      notice: showNotice,
      delivered: showDelivered,
      inbox: showInbox,
      unread: key => setUnread(key, count => count + 1),
      read: key => setUnread(key, () => 0),
      seen: showSeen,
      gap: showGap,
      error: showError,
    });
    loginForm.hidden = true;
    chat.hidden = false;
    $("user").textContent = user;
    $("room-name").focus();
    await session.start();
    await session.loadInbox();
  });
});

roomForm.addEventListener("submit", async event => {
  event.preventDefault();
  await run(() => session.join(roomName()));
});

$("create-button").addEventListener("click", async () => {
  if (roomForm.reportValidity()) {
    await run(() => session.create(roomName(), $("room-title").value.trim()));
  }
});

$("leave-button").addEventListener("click", () => run(() => session.leave()));

presenceForm.addEventListener("submit", async event => {
  event.preventDefault();
  await run(() => session.setStatus(presenceStatus.value, presenceText.value.trim()));
});

$("direct-form").addEventListener("submit", async event => {
  event.preventDefault();
  const text = $("direct-text");
  await run(async () => {
    await session.sendDirect($("direct-to").value.trim(), text.value);
    text.value = "";
  });
});

messageInput.addEventListener("input", () => messageInput.value.trim() && session?.typing());

sendForm.addEventListener("submit", async event => {
  event.preventDefault();
  const text = messageInput.value;
  if (!text.trim()) {
    return;
  }
  await run(async () => {
    await session.send(text);
    messageInput.value = "";
  });
  messageInput.focus();
});

/** Runs a user action; its failure shows in the error bar, its success clears it. */
async function run(action) {
  try {
    await action();
    errorBar.hidden = true;
  } catch (error) {
    showError(reasonOf(error));
  }
}

function roomName() {
  return $("room-name").value.trim();
}

function showStatus(status, detail) {
  statusBadge.hidden = false;
  statusBadge.textContent = status;
  statusBadge.className = `status ${status}`;
  statusBadge.title = detail ?? "";
  updateControls();
}

function showMessage(message) {
  stopTypist(message.user);
  const item = document.createElement("li");
  item.dataset.seq = message.seq;
  item.classList.toggle("mine", message.user === me);
  const time = document.createElement("time");
  const at = new Date(Number(message.timestamp));
  time.dateTime = at.toISOString();
  time.textContent = at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
  const user = document.createElement("strong");
  user.textContent = message.user;
  const text = document.createElement("span");
  text.className = "text";
  text.textContent = message.text;
  item.append(time, user, text);
  const atBottom = messages.scrollHeight - messages.scrollTop - messages.clientHeight < 40;
  messages.append(item);
  if (atBottom) {
    item.scrollIntoView({ block: "end" });
  }
}

/** Where messages of the open channel were dropped by retention before this page could show them. */
function showGap(count) {
  const item = document.createElement("li");
  item.className = "gap";
  item.textContent = `${count} older ${count === 1 ? "message is" : "messages are"} no longer available`;
  messages.append(item);
}

const inboxItems = new Map(); // "ChatRoom-x" or "@user" -> list item

/** The user's channels and conversations, each a button that opens it, with its unread count. */
function showInbox(inbox) {
  // Rooms joined here that the server does not list yet (nothing in them was marked read) stay listed.
  const joinedHere = [...inboxItems].filter(([key]) => /^(ChatRoom|World)-/.test(key) && !inbox.channels.some(c => c.room === key));
  inboxItems.clear();
  const items = [
    ...inbox.channels.map(c => inboxItem(c.room, c.title ?? c.room, c.unread)),
    ...joinedHere.map(([key, item]) => (inboxItems.set(key, item), item)),
    ...inbox.conversations.map(c => inboxItem(`@${c.with}`, `@${c.with}`, c.unread)),
  ];
  $("inbox").replaceChildren(...items);
  showCurrentChat();
}

function inboxItem(key, label, unread) {
  const item = document.createElement("li");
  item.dataset.key = key;
  const button = document.createElement("button");
  button.type = "button";
  button.title = key.startsWith("@") ? `Direct messages with ${key.slice(1)}` : key;
  const name = document.createElement("span");
  name.className = "name";
  name.textContent = label;
  const badge = document.createElement("span");
  badge.className = "unread";
  button.append(name, badge);
  button.addEventListener("click", () => run(() => key.startsWith("@") ? openConversation(key.slice(1)) : session.open(key)));
  item.append(button);
  inboxItems.set(key, item);
  showUnread(item, unread);
  return item;
}

/** Changes a chat's unread count; a chat not listed yet (a first message from someone) is added at the top. */
function setUnread(key, change) {
  let item = inboxItems.get(key);
  if (!item) {
    item = inboxItem(key, key, 0);
    $("inbox").prepend(item);
    showCurrentChat();
  }
  showUnread(item, change(Number(item.dataset.unread ?? 0)));
}

function showUnread(item, count) {
  item.dataset.unread = count;
  const badge = item.querySelector(".unread");
  badge.textContent = count > 99 ? "99+" : String(count);
  badge.hidden = count === 0;
  badge.setAttribute("aria-label", `${count} unread`);
}

/** Highlights the open channel and conversation in the chat list. */
function showCurrentChat() {
  const conversation = session?.conversation ? `@${session.conversation}` : null;
  for (const [key, item] of inboxItems) {
    const current = key === session?.room || key === conversation;
    item.classList.toggle("current", current);
    item.querySelector("button").setAttribute("aria-current", current ? "true" : "false");
  }
}

/** Shows only the direct messages with one user, and sends to them. */
async function openConversation(user) {
  $("direct-to").value = user;
  $("direct-heading").textContent = `Direct messages with ${user}`;
  directFilter = conversationOf(me, user);
  for (const item of $("direct").children) {
    item.hidden = item.dataset.conversation !== directFilter;
  }
  await session.openConversation(user);
  showCurrentChat();
  $("direct-text").focus();
}

let directFilter = null;
const seenUpTo = new Map(); // conversation -> seq the other user has read up to

/** The other user has read your direct messages up to seq: mark them seen. */
function showSeen(conversation, seq) {
  if (seq <= (seenUpTo.get(conversation) ?? 0)) {
    return;
  }
  seenUpTo.set(conversation, seq);
  for (const item of $("direct").querySelectorAll("li.mine")) {
    if (item.dataset.conversation === conversation && Number(item.dataset.seq) <= seq) {
      markSeen(item);
    }
  }
}

function markSeen(item) {
  if (!item.querySelector(".seen")) {
    const seen = document.createElement("span");
    seen.className = "seen";
    seen.textContent = "seen";
    item.append(seen);
  }
}

const directShown = new Map(); // message id -> list item
const deliveredFirst = new Map(); // message id -> time, for a Delivered that arrives before the send's own result

/** A direct message, once, in the Direct messages list; ✓ once the recipient's client has acknowledged it. */
function showDirect(message) {
  let item = directShown.get(message.id);
  if (!item) {
    item = document.createElement("li");
    item.dataset.id = message.id;
    item.dataset.conversation = message.conversation;
    item.dataset.seq = message.seq;
    item.dataset.at = message.timestamp;
    item.hidden = directFilter != null && message.conversation !== directFilter;
    item.classList.toggle("mine", message.from === me);
    const text = document.createElement("span");
    text.className = "text";
    text.textContent = `${message.from === me ? "you" : message.from} → ${message.to === me ? "you" : message.to}: ${message.text}`;
    item.append(text);
    directShown.set(message.id, item);
    insertInOrder($("direct"), item);
    if (!item.hidden) {
      item.scrollIntoView({ block: "nearest" });
    }
    if (message.from === me && message.seq <= (seenUpTo.get(message.conversation) ?? 0)) {
      markSeen(item);
    }
  }
  const deliveredAt = message.deliveredAt ?? deliveredFirst.get(message.id);
  if (deliveredAt != null && message.from === me) {
    deliveredFirst.delete(message.id);
    markDelivered(item, deliveredAt);
  }
}

/** Direct messages in the order they were sent, whichever conversation was read first. */
function insertInOrder(list, item) {
  const at = Number(item.dataset.at);
  const next = [...list.children].find(other => Number(other.dataset.at) > at);
  list.insertBefore(item, next ?? null);
}

function showDelivered(receipt) {
  const item = directShown.get(receipt.id);
  if (item) {
    markDelivered(item, receipt.at);
  } else {
    // The recipient acknowledged before our own SendDirect call returned: tick it when it shows.
    deliveredFirst.set(receipt.id, receipt.at);
  }
}

function markDelivered(item, at) {
  if (!item.querySelector(".tick")) {
    const tick = document.createElement("span");
    tick.className = "tick";
    tick.textContent = "✓";
    tick.title = `delivered ${new Date(Number(at)).toLocaleString()}`;
    tick.setAttribute("aria-label", "delivered");
    item.append(tick);
  }
}

const noticesShown = new Set();

/** An announcement or a system message, once (by id), above the messages; newest first, at most five. */
function showNotice(kind, notice) {
  if (noticesShown.has(notice.id)) {
    return;
  }
  noticesShown.add(notice.id);
  const item = document.createElement("li");
  item.className = kind;
  item.dataset.id = notice.id;
  const label = document.createElement("strong");
  label.textContent = kind === "announcement" ? "Announcement" : "System";
  const text = document.createElement("span");
  text.className = "text";
  text.textContent = notice.text;
  const close = document.createElement("button");
  close.type = "button";
  close.className = "dismiss";
  close.textContent = "×";
  close.setAttribute("aria-label", "Dismiss");
  close.addEventListener("click", () => item.remove());
  item.append(label, text, close);
  const list = $("notices");
  list.prepend(item);
  while (list.children.length > 5) {
    list.lastElementChild.remove();
  }
}

function showTypist(user) {
  clearTimeout(typists.get(user));
  typists.set(user, setTimeout(() => stopTypist(user), TYPING_SHOWN_MS));
  showTypists();
}

function stopTypist(user) {
  if (typists.has(user)) {
    clearTimeout(typists.get(user));
    typists.delete(user);
    showTypists();
  }
}

function clearTypists() {
  typists.forEach(timer => clearTimeout(timer));
  typists.clear();
  showTypists();
}

function showTypists() {
  const users = [...typists.keys()].sort();
  typingLine.textContent = users.length === 0 ? ""
    : users.length === 1 ? `${users[0]} is typing…`
    : users.length <= 3 ? `${users.slice(0, -1).join(", ")} and ${users.at(-1)} are typing…`
    : `${users.length} people are typing…`;
}

let currentMembers = [];

/** Members with a coloured dot and their status (or status text), as their presence says. */
function showMembers(users) {
  currentMembers = users;
  members.replaceChildren(...users.map(user => {
    const presence = user === me ? mySelf : session?.presenceOf(user);
    const item = document.createElement("li");
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = user;
    const detail = document.createElement("span");
    detail.className = "presence-text";
    detail.textContent = presence ? presence.text || presence.status : "";
    item.title = presence ? describe(presence) : user;
    item.append(dot(presence?.status), name, detail);
    return item;
  }));
}

let mySelf = null;

function showSelf(presence) {
  mySelf = presence;
  myPresence.replaceChildren(dot(presence.status), document.createTextNode(presence.status));
  myPresence.title = describe(presence);
  myPresence.hidden = false;
  if (document.activeElement !== presenceStatus && PresenceStatuses.includes(presence.status)) {
    presenceStatus.value = presence.status;
  }
  if (document.activeElement !== presenceText) {
    presenceText.value = presence.text ?? "";
  }
  showMembers(currentMembers);
}

function dot(status) {
  const span = document.createElement("span");
  span.className = `dot ${status ?? "unknown"}`;
  span.setAttribute("aria-hidden", "true");
  return span;
}

function describe(presence) {
  const parts = [`${presence.user}: ${presence.status}`];
  if (presence.text) parts.push(`"${presence.text}"`);
  if (presence.zone) parts.push(`in ${presence.zone}`);
  if (presence.status === "offline" && presence.lastSeen) parts.push(`last seen ${new Date(Number(presence.lastSeen)).toLocaleString()}`);
  return parts.join(" ");
}

function showError(text) {
  errorBar.textContent = text;
  errorBar.hidden = false;
}

function updateControls() {
  const inRoom = session?.room != null;
  const connected = session?.status === Status.Connected;
  messageInput.disabled = $("send-button").disabled = !(inRoom && connected);
  messageInput.placeholder = !inRoom ? "Join a room to chat" : connected ? "Message (Enter sends)" : "Waiting for the connection...";
  $("leave-button").disabled = !(session?.joined && connected);
  $("join-button").disabled = $("create-button").disabled = !connected;
  $("presence-button").disabled = $("direct-button").disabled = !connected;
}
