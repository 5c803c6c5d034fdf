import { defineConfig } from "vitest/config";

export default defineConfig({
  define: { __TRANSLATIONS__: "{}" },
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    // Intl output (dates, times, relative times) is checked against fixed zones and languages.
    env: { TZ: "UTC" },
    // German is a table the card fetches in a browser; the tests have it at hand.
    setupFiles: ["test/setup.ts"],
  },
});
