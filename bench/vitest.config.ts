import { tidingsProject } from '../vitest.shared.js';

export default tidingsProject('bench');
