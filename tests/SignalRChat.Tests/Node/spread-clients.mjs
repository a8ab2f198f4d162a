// Opens COUNT connections through SERVER with the official JavaScript client (JSON, WebSockets), each as USER, and
// prints the instance each ended up on (the client follows the negotiate redirect by itself), then closes them.
//   node spread-clients.mjs SERVER USER COUNT
import { createRequire } from "node:module";

const require = createRequire(new URL("../../../src/Client.Web/package.json", import.meta.url));
const signalR = require("@microsoft/signalr");

const [server, user, count] = process.argv.slice(2);
const response = await fetch(new URL("/auth/token", server), {
  method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user }),
});
if (!response.ok) {
  throw new Error(`login failed: HTTP ${response.status} ${await response.text()}`);
}
const { token } = await response.json();
const timeout = (what, ms = 15000) => new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms).unref());

const connections = [];
for (let i = 0; i < Number(count); i++) {
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(new URL("/hub", server).href, { accessTokenFactory: () => token, transport: signalR.HttpTransportType.WebSockets })
    .configureLogging(signalR.LogLevel.Warning)
    .build();
  const registered = new Promise(resolve => connection.on("Registered", resolve));
  await connection.start();
  const { instanceId } = await Promise.race([registered, timeout("Registered")]);
  console.log(JSON.stringify({ instanceId, url: connection.baseUrl }));
  connections.push(connection);
}
await Promise.all(connections.map(c => c.stop()));
