// A game-style client on the official JavaScript SignalR client under Node, with MessagePack: logs in, connects,
// joins a room, waits for one pushed message, sends one, and shows what a refused call looks like.
// Prints one JSON line per step, for the test that runs it:  node msgpack-client.mjs SERVER USER ROOM
import { createRequire } from "node:module";

// The packages the web client (src/Client.Web) installs from npm.
const require = createRequire(new URL("../../../src/Client.Web/package.json", import.meta.url));
const signalR = require("@microsoft/signalr");
const { MessagePackHubProtocol } = require("@microsoft/signalr-protocol-msgpack");

const [server, user, room] = process.argv.slice(2);
const print = (step, value) => console.log(JSON.stringify({ step, value }));

async function login() {
  const response = await fetch(new URL("/auth/token", server), {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user }),
  });
  if (!response.ok) {
    throw new Error(`login failed: HTTP ${response.status} ${await response.text()}`);
  }
  return (await response.json()).token;
}

const connection = new signalR.HubConnectionBuilder()
  .withUrl(new URL("/hub", server).href, { accessTokenFactory: login, transport: signalR.HttpTransportType.WebSockets })
  .withHubProtocol(new MessagePackHubProtocol())
  .configureLogging(signalR.LogLevel.Warning)
  .build();

const registered = new Promise(resolve => connection.on("Registered", resolve));
const pushed = new Promise(resolve => connection.on("NewMessage", resolve));
const timeout = (what, ms = 15000) => new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms).unref());

try {
  await connection.start();
  print("registered", await Promise.race([registered, timeout("Registered")]));
  print("joined", await connection.invoke("Call", room, "Join", null));
  print("received", await Promise.race([pushed, timeout("NewMessage")]));
  print("sent", await connection.invoke("Call", room, "SendMessage", { text: `hello from node as ${user}` }));
  try {
    await connection.invoke("Call", room, "Jion", null);
  } catch (error) {
    print("refused", error.message);
  }
  await connection.stop();
} catch (error) {
  console.error(error.stack ?? String(error));
  process.exitCode = 1;
  await connection.stop();
}
