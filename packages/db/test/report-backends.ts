import { describeBackends } from '../src/testing/backends.js';

export default function setup(): void {
  console.log(`[@chat-api/db] ${describeBackends()}`);
}
