/**
 * Child of `npm run calibrate`: loads one implementation of a kata and the
 * kata's calibration (test/calibration/NN-slug.ts), measures each seed and
 * prints one JSON line per seed. A child per implementation, so that one
 * implementation's tensors and globals never touch another's numbers.
 *   node -r ts-node/register/transpile-only measure-child.ts <kata file> <calibration file> <seed>...
 */
type Measure = (kata: Record<string, unknown>, seed: number) => Promise<Record<string, number>>;

async function main(): Promise<void> {
  const [kataFile, calibrationFile, ...seeds] = process.argv.slice(2);
  if (!kataFile || !calibrationFile) throw new Error('usage: measure-child <kata file> <calibration file> <seed>...');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const kata = require(kataFile) as Record<string, unknown>;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { measure } = require(calibrationFile) as { measure?: Measure };
  if (typeof measure !== 'function') throw new Error(`${calibrationFile} exports no measure(kata, seed).`);
  for (const seed of seeds.map(Number)) {
    const started = performance.now();
    const metrics = await measure(kata, seed);
    process.stdout.write(`${JSON.stringify({ seed, seconds: (performance.now() - started) / 1000, metrics })}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
