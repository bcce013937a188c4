import { describeBackend, probeBackend } from '../../lib/backend';

/** Runs once per jest run, before any test file: say which backend runs. */
export default function globalSetup(): void {
  process.stdout.write(`\n${describeBackend(probeBackend())}\n`);
}
