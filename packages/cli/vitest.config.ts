import { tidingsProject } from '../../vitest.shared.js';

export default tidingsProject('cli', {
  // Integration tests open real sockets on 127.0.0.1; allow for a loaded CI machine.
  testTimeout: 30_000,
  hookTimeout: 30_000,
});
