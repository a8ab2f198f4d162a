// The hub instances a client knows: the one it started from, and those the cluster lists at GET /cluster (read at
// every connect). When its instance is gone, the client moves on to the next one; each serves the same cluster.

export class ClusterServers {
  #known;
  #current = 0;

  /** @param {string|URL} first the instance the page came from */
  constructor(first) {
    this.#known = [new URL(first).origin];
  }

  /** The instance to connect to now (an origin: scheme, host and port). */
  get current() { return this.#known[this.#current]; }

  /** Moves on to the next known instance (the same one when it is the only one) and returns it. */
  next() {
    this.#current = (this.#current + 1) % this.#known.length;
    return this.current;
  }

  /** Learns the cluster's ready instances from the current one; keeps what it knew when that fails. */
  async refresh() {
    try {
      const response = await fetch(new URL("/cluster", this.current), { headers: { accept: "application/json" }, cache: "no-store" });
      if (!response.ok) {
        return;
      }
      for (const { status, url } of (await response.json()).instances ?? []) {
        if (status === "ready" && url && !this.#known.includes(new URL(url).origin)) {
          this.#known.push(new URL(url).origin);
        }
      }
    } catch {
      // An older server without /cluster, or one that went away meanwhile: the next connect finds out.
    }
  }
}
