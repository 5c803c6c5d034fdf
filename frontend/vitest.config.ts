import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    // Intl output (dates, times, relative times) is checked against fixed zones and languages.
    env: { TZ: "UTC" },
  },
});
