// A read-only HTTP server on 127.0.0.1 for the built sites, shared by check.mjs and
// lighthouse.mjs: `/NAME/...` is ROOT/NAME/..., and a folder's index.html is served for it.
// Text is gzipped for a browser that accepts it, as every static host does: Lighthouse
// measures what a reader would download.

import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
  ".woff2": "font/woff2",
  ".json": "application/json",
  ".xml": "application/xml",
  ".ics": "text/calendar; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".png": "image/png",
  ".webmanifest": "application/manifest+json",
};

/**
 * Serves `root` (a folder, or a function giving it, asked at each request so that it can
 * change); `mounts` maps a first path segment to another folder (`large` → DIR).
 */
export async function serve(root, mounts = {}) {
  const rootNow = typeof root === "function" ? root : () => root;
  const server = createServer(async (request, response) => {
    try {
      const root = rootNow();
      const url = new URL(request.url, "http://127.0.0.1");
      const pathname = decodeURIComponent(url.pathname);
      const [, first, ...rest] = pathname.split("/");
      const base = mounts[first] ?? root;
      let file = mounts[first] ? path.join(base, ...rest) : path.join(root, pathname);
      if (!file.startsWith(base)) throw new Error("outside");
      if ((await stat(file)).isDirectory()) file = path.join(file, "index.html");
      let body = await readFile(file);
      const type = TYPES[path.extname(file)] ?? "application/octet-stream";
      const headers = { "content-type": type };
      const text = /^text\/|^application\/(json|xml|manifest\+json)|^image\/svg/.test(type);
      if (text && /\bgzip\b/.test(request.headers["accept-encoding"] ?? "")) {
        body = gzipSync(body);
        headers["content-encoding"] = "gzip";
        headers.vary = "accept-encoding";
      }
      response.writeHead(200, headers);
      response.end(body);
    } catch {
      response.writeHead(404, { "content-type": "text/plain" });
      response.end("not found");
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}
