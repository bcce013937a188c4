/**
 * The benchmark's unit of speed: a fixed TensorFlow.js training, always on the
 * pure-JavaScript cpu backend whatever KATA_BACKEND says, so that it is the same
 * work on every machine. `npm run bench -- --suite` divides every time by its
 * median and so compares machines (issue 17).
 *
 * A 1-16-16-1 ReLU network (Dense 16 relu, Dense 16 relu, Dense 1), 8,000 samples
 * of y = x² (x uniform in [-50, 50], seeded; x / 50 and y / 2500 fed in), batch
 * 256, 20 epochs, tfjs' own Adam. It runs in a child process of its own
 * (`timeCalibrationWorkload`), so it never shares a TensorFlow.js, or its
 * backend, with anything else; the time counts the training only (data, model,
 * fit), not the process's start.
 */
import { spawnSync } from 'node:child_process';
import { uninstallAdamUpdate } from '../../../lib/adam-update';
import { loadTf } from '../../../lib/load-tf';
import { seededRandom } from '../../../lib/random';
import type { RoundOutcome } from './speed-table';

export const WORKLOAD = { samples: 8_000, range: 50, units: 16, batchSize: 256, epochs: 20, seed: 17 } as const;

/** Runs the workload in this process on the cpu backend; seconds of wall and CPU time, and the final loss (a sanity check that it trained). */
export async function runWorkload(): Promise<{ wallSeconds: number; cpuSeconds: number; loss: number }> {
  process.env.KATA_BACKEND = 'cpu'; // before the first loadTf(): the unit is pure JavaScript on every machine
  const { tf, choice } = loadTf();
  if (choice.name !== 'cpu') throw new Error(`the calibration workload must run on the cpu backend, not ${choice.name}`);
  // tfjs' own Adam, not lib/adam-update.js's: the unit stays the same work whatever this repository speeds up.
  uninstallAdamUpdate(tf);
  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  const random = seededRandom(WORKLOAD.seed);
  const xs = Array.from({ length: WORKLOAD.samples }, () => (random() * 2 - 1) * WORKLOAD.range);
  const x = tf.tensor2d(xs.map((value) => value / WORKLOAD.range), [WORKLOAD.samples, 1]);
  const y = tf.tensor2d(xs.map((value) => (value * value) / WORKLOAD.range ** 2), [WORKLOAD.samples, 1]);
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [1], units: WORKLOAD.units, activation: 'relu', kernelInitializer: init(1) }),
      tf.layers.dense({ units: WORKLOAD.units, activation: 'relu', kernelInitializer: init(2) }),
      tf.layers.dense({ units: 1, kernelInitializer: init(3) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(), loss: 'meanSquaredError' });
  // No shuffling: tfjs shuffles with Math.random, and the same work every time is the point.
  const history = await model.fit(x, y, { batchSize: WORKLOAD.batchSize, epochs: WORKLOAD.epochs, shuffle: false, verbose: 0 });
  const used = process.cpuUsage(cpuStart);
  const wallSeconds = (performance.now() - wallStart) / 1000;
  const losses = history.history.loss as number[];
  tf.dispose([x, y]);
  model.dispose();
  return { wallSeconds, cpuSeconds: (used.user + used.system) / 1e6, loss: losses[losses.length - 1] ?? NaN };
}

/** One round of the workload, in a fresh child process: its wall and CPU time, or why it failed. */
export function timeCalibrationWorkload(): RoundOutcome {
  const run = spawnSync(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), __filename], { encoding: 'utf8' });
  const last = run.stdout.trim().split('\n').pop() ?? '';
  let result: { wallSeconds?: unknown; cpuSeconds?: unknown; loss?: unknown } = {};
  try {
    result = JSON.parse(last) as typeof result;
  } catch {
    // reported below, with what the child printed
  }
  const { wallSeconds, cpuSeconds, loss } = result;
  if (run.status !== 0 || typeof wallSeconds !== 'number' || typeof cpuSeconds !== 'number' || !Number.isFinite(wallSeconds) || !Number.isFinite(cpuSeconds)) {
    const said = `${run.stderr ?? ''}${run.error ? String(run.error) : ''}`.trim().split('\n').slice(-3).join(' / ');
    return { ok: false, why: `the calibration workload's process ended with status ${String(run.status)} and no timing (${said || 'no message'})` };
  }
  if (typeof loss !== 'number' || !Number.isFinite(loss)) return { ok: false, why: `the calibration workload did not train: final loss ${String(loss)}` };
  return { ok: true, wallSeconds, cpuSeconds };
}

if (require.main === module) {
  runWorkload()
    .then((result) => console.log(JSON.stringify(result)))
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
