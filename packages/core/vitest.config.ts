import { tidingsProject } from '../../vitest.shared.js';

export default tidingsProject('core', {
  typecheck: { enabled: true, include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
});
