/**
 * Vitest global set-up: integration tests start real worker processes and the real CLI from out/,
 * so build the Node parts (and the renderer, for the web host) first when their sources changed.
 */
import { ensureBuilt } from '../../build/scripts/build.mjs';

export default async function setup(): Promise<void> {
  await ensureBuilt({ ifStale: true });
}
