// One logged-in connection and the channel it shows, with no DOM: the page (main.js) renders what it reports.
// A channel is a room or world (joined per connection) or a guild or party (the user is a member; nothing to join).
// After a reconnect it joins the room again and fetches what it missed, so nothing sent meanwhile goes unseen. When
// its instance is gone, it reconnects to another instance of the cluster (ClusterServers).
// It keeps the user's read markers (MarkRead) as messages show, and reports the inbox with unread counts.
// It follows the room's members (Player.Follow) so their presence shows live, and unfollows on leaving the ones it
// followed itself; users you followed elsewhere stay followed.
import * as signalR from "@microsoft/signalr";
import { MessagePackHubProtocol } from "@microsoft/signalr-protocol-msgpack";
import { ClusterServers } from "./cluster-servers.js";

const PAGE_SIZE = 200;
const MAX_USERS_PER_CALL = 500;
/** What Player.SetStatus accepts. */
export const PresenceStatuses = Object.freeze(["online", "away", "busy", "in-game", "in-menu", "invisible"]);
const RECENT_ON_JOIN = 50;
const RECENT_DIRECT = 20;
const RETRY_DELAYS_MS = [0, 1000, 2000, 5000];
/** The room delivers at most one Typing per user per 2 s: asking more often is wasted. */
const TYPING_INTERVAL_MS = 2000;
const MAX_RETRY_DELAY_MS = 10000;
/** A call that gets no answer in this long fails (the server answers within its Objects:CallTimeout, 5 s by default). */
const CALL_TIMEOUT_MS = 10000;
/** A send is tried this many times, with the same clientMessageId, while it fails temporarily. */
const SEND_ATTEMPTS = 4;
/** How long a retry waits for the connection to come back. */
const RECONNECT_WAIT_MS = 15000;
/** Read markers go out at most this often: a busy channel shown for a minute costs a few calls, not one per message. */
const MARK_READ_DELAY_MS = 1000;
/** Larger than any sequence number: "before this" is "the latest". */
const LATEST = Number.MAX_SAFE_INTEGER;

/** Channels joined per connection (Join/Leave); guilds and parties deliver to their members without it. */
const isJoinedPerConnection = id => id.startsWith("ChatRoom-") || id.startsWith("World-");

/** The conversation ID of two users, as the server spells it: their names sorted, joined by ':'. */
export const conversationOf = (a, b) => (a < b ? `${a}:${b}` : `${b}:${a}`);

/** The hub endpoint of an instance. */
const hubUrl = server => new URL("/hub", server).href;

/** Connection states, as the page shows them. */
export const Status = Object.freeze({ Connecting: "connecting", Connected: "connected", Reconnecting: "reconnecting", Offline: "offline" });

/** Gets a token from the development login (POST /auth/token); throws an Error with the server's reason. */
export async function login(server, user) {
  const response = await fetch(new URL("/auth/token", server), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ user }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(body.error ?? (response.status === 404 ? "This server has no development login." : `Login failed (HTTP ${response.status}).`));
  }
  return body.token;
}

const HUB_EXCEPTION = "HubException: ";
/** What starts the text of a temporary error: retrying may succeed. */
const TEMPORARY = "[temporary] ";

/** The reason a hub call failed, without SignalR's "An unexpected error occurred invoking 'Call'" preamble. */
export function reasonOf(error) {
  const text = error?.message ?? String(error);
  const at = text.indexOf(HUB_EXCEPTION);
  const reason = at >= 0 ? text.slice(at + HUB_EXCEPTION.length) : text;
  return reason.startsWith(TEMPORARY) ? reason.slice(TEMPORARY.length) : reason;
}

/**
 * Whether a failed call may succeed when retried: the server said so ([temporary]), or the call never got an answer
 * (the connection closed, or it timed out). A refusal (any other server error) gives the same answer again.
 */
export function isTemporary(error) {
  const text = error?.message ?? String(error);
  const at = text.indexOf(HUB_EXCEPTION);
  return at < 0 || text.startsWith(TEMPORARY, at + HUB_EXCEPTION.length);
}

/** A new clientMessageId: 32 hex digits, from crypto.getRandomValues (which, unlike randomUUID, works over plain http). */
export function newMessageId() {
  return [...crypto.getRandomValues(new Uint8Array(16))].map(b => b.toString(16).padStart(2, "0")).join("");
}

export class ChatSession {
  #connection;
  #events;
  #room = null;
  #lastSeq = 0;
  #members = new Set();
  #catchUp = Promise.resolve();
  #stopped = false;
  #user;
  #presences = new Map();        // user -> presence, for the room's members
  #followedBefore = null;        // users followed before this page followed anyone (never unfollowed by it)
  #followedHere = new Set();     // users this page followed for the room
  #typingSentAt = 0;
  #conversation = null;          // the user whose conversation is open, if any
  #markTimer = null;
  #markedSeq = 0;                // the read marker last stored for the open channel
  #waiting = [];                 // sends waiting for the connection to come back
  #servers;                      // the cluster's instances, to move to when ours is gone

  /**
   * @param {object} options
   * @param {string|URL} options.server the hub instance's base URL
   * @param {string} options.user the user name to log in with
   * @param {boolean} options.messagePack use MessagePack instead of JSON
   * @param {object} events callbacks: status(status, detail), registered({clientId, instanceId, user}),
   *   joined(roomInfo), left(room), message(message), members([user]), presences(Map user -> presence),
   *   self(presence), typing(user), direct(message), delivered(receipt), notice(kind, message), error(text),
   *   inbox({channels, conversations}), unread(key) for a message that arrived where you are not looking (key: the
   *   channel's ID, or "@user" for a conversation), read(key) when what shows there is marked read, seen(conversation,
   *   seq) when the other user has read your direct messages up to seq, gap(count) when that many messages of the open
   *   channel are no longer kept
   */
  constructor({ server, user, messagePack }, events) {
    this.#events = events;
    this.#user = user;
    this.#servers = new ClusterServers(server);
    const builder = new signalR.HubConnectionBuilder()
      // A fresh token for every connect, from the instance being connected to, so a reconnect after hours never fails
      // on an expired one.
      .withUrl(hubUrl(server), { accessTokenFactory: () => login(this.#servers.current, user) })
      .withAutomaticReconnect({
        nextRetryDelayInMilliseconds: ({ previousRetryCount }) => {
          // The first delay is asked for before the connection is Reconnecting: onreconnecting moves on for it.
          if (previousRetryCount > 0) {
            this.#moveOn();
          }
          return RETRY_DELAYS_MS[previousRetryCount] ?? MAX_RETRY_DELAY_MS;
        },
      })
      .configureLogging(signalR.LogLevel.Warning);
    if (messagePack) {
      builder.withHubProtocol(new MessagePackHubProtocol());
    }
    this.#connection = builder.build();
    this.#wire();
  }

  get room() { return this.#room; }

  /** Whether the open channel is a room or world (which you leave) rather than a guild or party (which you are in). */
  get joined() { return this.#room != null && isJoinedPerConnection(this.#room); }

  get conversation() { return this.#conversation; }

  /** The presence of a member, if known. */
  presenceOf(user) { return this.#presences.get(user); }

  /** Sets your status and, when given, your status text ("" clears it). */
  async setStatus(status, text) {
    const self = await this.#call(this.#player, "SetStatus", text === undefined ? { status } : { status, text });
    this.#events.self?.(self);
  }

  get status() {
    switch (this.#connection.state) {
      case signalR.HubConnectionState.Connected: return Status.Connected;
      case signalR.HubConnectionState.Reconnecting: return Status.Reconnecting;
      case signalR.HubConnectionState.Connecting: return Status.Connecting;
      default: return Status.Offline;
    }
  }

  /** Connects; when the server cannot be reached it keeps trying, showing the page as offline, until stop(). */
  async start() {
    for (let attempt = 0; !this.#stopped; attempt++) {
      this.#events.status?.(Status.Connecting);
      try {
        await this.#connection.start();
        this.#events.status?.(Status.Connected);
        this.#wakeWaiting();
        this.#servers.refresh();
        const [self] = await this.#call(this.#player, "GetPresence", { users: [this.#user] });
        this.#events.self?.(self);
        return;
      } catch (error) {
        if (this.#stopped) {
          return;
        }
        this.#events.status?.(Status.Offline, reasonOf(error));
        await delay(RETRY_DELAYS_MS[attempt + 1] ?? MAX_RETRY_DELAY_MS);
        this.#moveOn();
      }
    }
  }

  async stop() {
    this.#stopped = true;
    await this.#connection.stop();
  }

  /** Joins ChatRoom-{name} (leaving the current room) and reports its last messages. */
  join(name) {
    return this.open(`ChatRoom-${name}`);
  }

  /**
   * Shows a channel: joins a room or world (leaving the room shown before), or opens a guild or party you are in; then
   * reports its last messages and marks them read.
   */
  async open(id) {
    if (this.#room && this.#room !== id) {
      await this.#close();
    }
    let info;
    if (isJoinedPerConnection(id)) {
      info = await this.#call(id, "Join");
    } else {
      const got = await this.#call(id, "GetInfo"); // members only: anyone else gets the server's reason
      const lastSeq = got.lastSeq ?? (await this.#call(id, "GetMessages", { beforeSeq: LATEST, limit: 1 })).lastSeq;
      info = { room: id, title: got.name ?? null, lastSeq, members: got.members.map(m => m.user ?? m) };
    }
    this.#room = id;
    this.#markedSeq = 0;
    this.#lastSeq = Math.max(0, info.lastSeq - RECENT_ON_JOIN);
    this.#setMembers(info.members);
    this.#events.joined?.(info);
    await Promise.all([this.#fetchMissed(), this.#follow(info.members)]);
    this.#markRead();
  }

  /** Creates ChatRoom-{name} with a title, then joins it. */
  async create(name, title) {
    await this.#connection.invoke("Create", "ChatRoom", `ChatRoom-${name}`, { title: title || null });
    await this.join(name);
  }

  /** Leaves the room or world shown. */
  async leave() {
    if (!this.joined) {
      throw new Error("Join a room first.");
    }
    await this.#close();
  }

  /** Stops showing the channel: leaves it when it is a room or world. */
  async #close() {
    const room = this.#requireRoom();
    if (isJoinedPerConnection(room)) {
      await this.#call(room, "Leave");
    }
    clearTimeout(this.#markTimer);
    this.#markTimer = null;
    this.#room = null;
    this.#members.clear();
    this.#events.left?.(room);
    await this.#unfollowAll();
  }

  /** Sends to the open channel; retried with the same clientMessageId while it fails temporarily, so it is stored once. */
  async send(text) {
    const room = this.#requireRoom();
    const message = await this.#sendOnce(room, "SendMessage", { text, clientMessageId: newMessageId() });
    if (room === this.#room) {
      await this.#receive(message);
    }
  }

  /** Sends a direct message to a user (stored once, as send); reported through direct(message) like a received one. */
  async sendDirect(to, text) {
    this.#events.direct?.(await this.#sendOnce(this.#player, "SendDirect", { to, text, clientMessageId: newMessageId() }));
  }

  /** Calls a send until it succeeds, is refused, or SEND_ATTEMPTS tried; args carry one clientMessageId throughout. */
  async #sendOnce(objectId, method, args) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#call(objectId, method, args);
      } catch (error) {
        if (attempt >= SEND_ATTEMPTS || !isTemporary(error) || this.#stopped) {
          throw error;
        }
        await delay(RETRY_DELAYS_MS[attempt] ?? MAX_RETRY_DELAY_MS);
        await this.#connected();
      }
    }
  }

  /** Resolves once the connection is up (at once if it is), when it closes for good, or after RECONNECT_WAIT_MS. */
  #connected() {
    if (this.#connection.state === signalR.HubConnectionState.Connected) {
      return Promise.resolve();
    }
    return new Promise(resolve => {
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(done, RECONNECT_WAIT_MS);
      this.#waiting.push(done);
    });
  }

  #wakeWaiting() {
    const waiting = this.#waiting;
    this.#waiting = [];
    waiting.forEach(done => done());
  }

  /**
   * Reports your inbox (GetInbox: channels and conversations with unread counts) and the last messages of your
   * conversations, how far the other user has read each, and acknowledges the messages to you.
   */
  async loadInbox() {
    const inbox = await this.#call(this.#player, "GetInbox");
    this.#events.inbox?.(inbox);
    for (const { with: other, lastSeq, theirLastReadSeq } of inbox.conversations) {
      const page = await this.#call(this.#player, "GetDirectMessages", { with: other, beforeSeq: lastSeq + 1, limit: RECENT_DIRECT });
      page.messages.forEach(message => this.#events.direct?.(message));
      this.#events.seen?.(conversationOf(this.#user, other), theirLastReadSeq);
      await this.#ack(page.messages.filter(m => m.to === this.#user && m.deliveredAt == null));
    }
  }

  /** Opens the conversation with a user: its direct messages are read (MarkRead) now and as they arrive. */
  async openConversation(user) {
    this.#conversation = user;
    const page = await this.#call(this.#player, "GetDirectMessages", { with: user, beforeSeq: LATEST, limit: RECENT_DIRECT });
    page.messages.forEach(message => this.#events.direct?.(message));
    await this.#markConversationRead(page.lastSeq);
  }

  /** Tells the room you are typing, at most once per TYPING_INTERVAL_MS; best effort, never an error. */
  typing() {
    const now = Date.now();
    if (!this.#room || this.#connection.state !== signalR.HubConnectionState.Connected || now - this.#typingSentAt < TYPING_INTERVAL_MS) {
      return;
    }
    this.#typingSentAt = now;
    this.#call(this.#room, "Typing").catch(() => {});
  }

  #wire() {
    const connection = this.#connection;
    connection.on("Registered", registration => this.#events.registered?.(registration));
    connection.on("NewMessage", message => {
      if (message.room === this.#room) {
        this.#receive(message);
      } else if (message.user !== this.#user) {
        this.#events.unread?.(message.room);
      }
    });
    connection.on("MemberJoined", ({ room, user }) => {
      if (room === this.#room) {
        this.#members.add(user);
        this.#reportMembers();
        this.#follow([user]).catch(error => this.#events.error?.(reasonOf(error)));
      }
    });
    connection.on("PresenceChanged", presence => {
      if (presence.user === this.#user) {
        this.#events.self?.(presence);
      } else if (this.#presences.has(presence.user) || this.#members.has(presence.user)) {
        this.#presences.set(presence.user, presence);
        this.#events.presences?.(this.#presences);
      }
    });
    connection.on("Typing", ({ room, user }) => room === this.#room && this.#events.typing?.(user));
    connection.on("DirectMessage", message => {
      this.#events.direct?.(message);
      if (message.to !== this.#user) {
        return;
      }
      // Acknowledging on receipt is what tells the sender it was delivered; reading is another matter.
      this.#ack([message]).catch(error => this.#events.error?.(reasonOf(error)));
      if (message.from === this.#conversation) {
        this.#markConversationRead(message.seq).catch(error => this.#events.error?.(reasonOf(error)));
      } else {
        this.#events.unread?.(`@${message.from}`);
      }
    });
    connection.on("ReadUpTo", ({ room, user, seq }) => {
      if (user !== this.#user && room === conversationOf(this.#user, user)) {
        this.#events.seen?.(room, seq);
      }
    });
    connection.on("Delivered", receipt => this.#events.delivered?.(receipt));
    // The server may have missed pushes for this connection (its Redis subscription was lost): fetch, as after a reconnect.
    connection.on("Resync", () => {
      this.loadInbox().catch(error => this.#events.error?.(reasonOf(error)));
      if (this.#room) {
        Promise.all([this.#fetchMissed(), this.#refreshPresences([...this.#members])])
          .then(() => this.#markRead())
          .catch(error => this.#events.error?.(reasonOf(error)));
      }
    });
    connection.on("Announcement", announcement => this.#events.notice?.("announcement", announcement));
    connection.on("SystemMessage", message => {
      this.#events.notice?.("system", message);
      // Shown: acknowledge, so it does not come again on the next connection.
      this.#ack([message]).catch(error => this.#events.error?.(reasonOf(error)));
    });
    connection.on("MemberLeft", ({ room, user }) => room === this.#room && this.#members.delete(user) && this.#reportMembers());
    // A moderator removed us (kick, ban, or off a private room's list): the server already took us out.
    connection.on("Kicked", ({ room, by, reason, bannedUntil }) => {
      if (room !== this.#room) {
        return;
      }
      clearTimeout(this.#markTimer);
      this.#markTimer = null;
      this.#room = null;
      this.#members.clear();
      this.#events.left?.(room);
      const ban = bannedUntil ? ` You are banned ${bannedUntil > 8.64e15 ? "until lifted" : `until ${new Date(bannedUntil).toLocaleString()}`}.` : "";
      this.#events.error?.(`${by} removed you from ${room}${reason ? `: ${reason}` : "."}${ban}`);
    });
    connection.on("Muted", ({ room, by, reason, until }) => this.#events.error?.(until
      ? `${by} muted you in ${room} until ${new Date(until).toLocaleTimeString()}${reason ? `: ${reason}` : "."}`
      : `${by} unmuted you in ${room}.`));
    connection.onreconnecting(error => {
      this.#moveOn();
      this.#events.status?.(Status.Reconnecting, error ? reasonOf(error) : undefined);
    });
    connection.onreconnected(async () => {
      this.#events.status?.(Status.Connected);
      this.#wakeWaiting();
      this.#servers.refresh();
      // Direct messages pushed while we were away are lost: read them (the page shows each once).
      this.loadInbox().catch(error => this.#events.error?.(reasonOf(error)));
      if (!this.#room) {
        return;
      }
      try {
        // The new connection has a new client ID: join a room again, then fetch what was sent while we were away.
        if (this.joined) {
          const info = await this.#call(this.#room, "Join");
          this.#setMembers(info.members);
        }
        // Changes pushed while we were away are lost: read the members' presence afresh.
        await Promise.all([this.#fetchMissed(), this.#refreshPresences([...this.#members])]);
        this.#markRead();
      } catch (error) {
        this.#events.error?.(`Could not rejoin ${this.#room}: ${reasonOf(error)}`);
      }
    });
    connection.onclose(error => {
      this.#events.status?.(Status.Offline, error ? reasonOf(error) : undefined);
      this.#wakeWaiting();
    });
  }

  /** Points every next try at the next instance the page knows: the one it was on may be gone for good. */
  #moveOn() {
    this.#connection.baseUrl = hubUrl(this.#servers.next());
  }

  /** Shows a message once, in order; a gap in seq means something was missed, so fetch from the last one seen. */
  async #receive(message) {
    if (message.seq === this.#lastSeq + 1) {
      this.#lastSeq = message.seq;
      this.#events.message?.(message);
      this.#markRead();
    } else if (message.seq > this.#lastSeq) {
      await this.#fetchMissed();
      this.#markRead();
    }
  }

  /** Marks the open channel read up to the last message shown, at most once per MARK_READ_DELAY_MS; best effort. */
  #markRead() {
    if (!this.#room || this.#lastSeq <= this.#markedSeq || this.#markTimer) {
      return;
    }
    this.#markTimer = setTimeout(async () => {
      this.#markTimer = null;
      const room = this.#room;
      const seq = this.#lastSeq;
      if (!room || seq <= this.#markedSeq || this.#connection.state !== signalR.HubConnectionState.Connected) {
        return;
      }
      try {
        await this.#call(room, "MarkRead", { seq });
        if (room === this.#room) {
          this.#markedSeq = Math.max(this.#markedSeq, seq);
          this.#events.read?.(room);
        }
      } catch {
        // Unread counts are a convenience: the next message shown tries again.
      }
    }, this.#markedSeq === 0 ? 0 : MARK_READ_DELAY_MS);
  }

  async #markConversationRead(seq) {
    const user = this.#conversation;
    if (user && seq > 0) {
      await this.#call(this.#player, "MarkRead", { with: user, seq });
      this.#events.read?.(`@${user}`);
    }
  }

  /** Fetches every message after the last one seen, page by page; calls queue so pages never interleave. */
  #fetchMissed() {
    this.#catchUp = this.#catchUp.catch(() => {}).then(async () => {
      while (this.#room) {
        const room = this.#room;
        const page = await this.#call(room, "GetMessages", { afterSeq: this.#lastSeq, limit: PAGE_SIZE });
        if (room !== this.#room) {
          return;
        }
        if (page.truncated && page.firstSeq - 1 > this.#lastSeq) {
          // Retention dropped them: say so, rather than skip them without a word.
          this.#events.gap?.(page.firstSeq - 1 - this.#lastSeq);
          this.#lastSeq = page.firstSeq - 1;
        }
        for (const message of page.messages.filter(m => m.seq > this.#lastSeq)) {
          this.#lastSeq = message.seq;
          this.#events.message?.(message);
        }
        if (page.messages.length < PAGE_SIZE) {
          return;
        }
      }
    });
    return this.#catchUp;
  }

  async #ack(messages) {
    if (messages.length > 0) {
      await this.#call(this.#player, "Ack", { ids: messages.map(m => m.id) });
    }
  }

  get #player() { return `Player-${this.#user}`; }

  /** Follows members not followed yet (others than you), so their PresenceChanged arrive; records their presence. */
  async #follow(users) {
    this.#followedBefore ??= new Set((await this.#call(this.#player, "ListFollowing")).map(p => p.user));
    const wanted = users.filter(u => u !== this.#user && !this.#followedHere.has(u));
    for (const users of chunks(wanted, MAX_USERS_PER_CALL)) {
      for (const presence of await this.#call(this.#player, "Follow", { users })) {
        this.#presences.set(presence.user, presence);
        if (!this.#followedBefore.has(presence.user)) {
          this.#followedHere.add(presence.user);
        }
      }
    }
    this.#events.presences?.(this.#presences);
  }

  async #unfollowAll() {
    const users = [...this.#followedHere];
    this.#followedHere.clear();
    this.#presences.clear();
    this.#events.presences?.(this.#presences);
    for (const part of chunks(users, MAX_USERS_PER_CALL)) {
      await this.#call(this.#player, "Unfollow", { users: part });
    }
  }

  async #refreshPresences(users) {
    const others = users.filter(u => u !== this.#user);
    for (const part of chunks(others, MAX_USERS_PER_CALL)) {
      for (const presence of await this.#call(this.#player, "GetPresence", { users: part })) {
        this.#presences.set(presence.user, presence);
      }
    }
    const [self] = await this.#call(this.#player, "GetPresence", { users: [this.#user] });
    this.#events.self?.(self);
    this.#events.presences?.(this.#presences);
  }

  #setMembers(members) {
    this.#members = new Set(members);
    this.#reportMembers();
  }

  #reportMembers() {
    this.#events.members?.([...this.#members].sort());
  }

  #requireRoom() {
    if (!this.#room) {
      throw new Error("Join a room first.");
    }
    return this.#room;
  }

  /** Calls an object method; fails after CALL_TIMEOUT_MS without an answer (the JavaScript client has no timeout). */
  #call(objectId, method, args = null) {
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${method} on ${objectId} got no answer in ${CALL_TIMEOUT_MS / 1000} s; whether it took effect is unknown.`)), CALL_TIMEOUT_MS);
    });
    return Promise.race([this.#connection.invoke("Call", objectId, method, args), timeout]).finally(() => clearTimeout(timer));
  }
}

function chunks(items, size) {
  const result = [];
  for (let i = 0; i < items.length; i += size) {
    result.push(items.slice(i, i + size));
  }
  return result;
}

function delay(ms) {
  return new Promise(resolve => setTimeout(resolve, ms));
}
