import { defineConfig } from 'vitest/config';
import { sourceConditions } from './vitest.shared.js';

// One run for the whole workspace; each package is a project (see vitest.shared.ts).
export default defineConfig({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions } },
  test: {
    projects: ['packages/*', 'examples/*', 'bench'],
  },
});
