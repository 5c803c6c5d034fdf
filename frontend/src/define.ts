// Defining the elements in the registry the page really uses.
//
// Home Assistant's frontend replaces window.customElements with a scoped-registry polyfill while it boots.
// The integration loads this module on every dashboard (frontend.add_extra_js_url), in parallel with the
// frontend's own code, so it may run first: an element defined before the swap is lost to the new registry
// (the card then shows "Configuration error" for good). So, in a page of Home Assistant (one that has its
// <home-assistant> root), the definitions wait until that root is defined in the current registry; anywhere
// else (the tests, the development harness, the panel loaded after boot) they happen at once.

const pending: [string, CustomElementConstructor][] = [];
const POLL_MS = 50;
const WAIT_MS = 60_000; // then define anyway: better an element in the wrong registry than none

let waiting = false;

function flush(): void {
  for (const [name, element] of pending.splice(0)) {
    if (!window.customElements.get(name)) window.customElements.define(name, element);
  }
}

function frontendReady(): boolean {
  return !document.querySelector("home-assistant") || window.customElements.get("home-assistant") !== undefined;
}

function waitForFrontend(started: number): void {
  if (frontendReady() || Date.now() - started > WAIT_MS) {
    waiting = false;
    flush();
    return;
  }
  setTimeout(() => waitForFrontend(started), POLL_MS);
}

/** Define ``name`` once Home Assistant's registry is in place (at once outside Home Assistant). */
export function define(name: string, element: CustomElementConstructor): void {
  if (typeof window === "undefined" || typeof document === "undefined" || !window.customElements) return; // no DOM
  pending.push([name, element]);
  if (frontendReady()) {
    flush();
    return;
  }
  if (!waiting) {
    waiting = true;
    waitForFrontend(Date.now());
  }
}
