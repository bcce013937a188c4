import { describeBackend, loadTf } from '../../lib/load-tf';

/** Runs once per jest run, before any test file: say which backend runs. */
export default function globalSetup(): void {
  process.stdout.write(`\n${describeBackend(loadTf().choice)}\n`);
}
