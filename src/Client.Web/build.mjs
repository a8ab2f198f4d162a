// Bundles the pages into dist/: app.js (the chat page with @microsoft/signalr and the MessagePack protocol), cluster.js
// (the cluster page), their HTML and style.css.
import { build } from "esbuild";
import { copyFile, mkdir, rm } from "node:fs/promises";

const out = new URL("./dist/", import.meta.url);
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await build({
  entryPoints: [
    { in: new URL("./src/main.js", import.meta.url).pathname, out: "app" },
    { in: new URL("./src/cluster.js", import.meta.url).pathname, out: "cluster" },
  ],
  outdir: out.pathname,
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  sourcemap: true,
  legalComments: "linked",
  logLevel: "warning",
});
for (const file of ["index.html", "cluster.html", "style.css", "favicon.svg"]) {
  await copyFile(new URL(`./src/${file}`, import.meta.url), new URL(file, out));
}
