/**
 * Watch it learn: `watchTraining(name, animation, () => train())` runs the
 * training the test runs anyway and records, from the test environment's fit
 * callback (training-guard.js), the network's curve at a few dozen epochs of
 * every fit it makes: the start, then more often early on, where the curve
 * moves most. Afterwards the frames are drawn with lib/plot.ts and written as
 * an animated GIF, plots/<name>-training.gif (and its figures beside it in
 * <name>-training.json), which `npm run gallery` shows beside the final plot.
 *
 * The fits may train on scaled numbers: the curve is mapped back to original
 * units by the affine map that takes the training data given here onto the
 * data the fit sees (matched by minimum, maximum and mean, so row order does
 * not matter); a fit on other data is not drawn.
 *
 * Learner mode only (in grading mode the kata trains in another process);
 * KATA_ANIMATE=0 turns it off. Recording never changes the training: it only
 * predicts on a grid between epochs, and any error of its own is a warning.
 */
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { linspace } from '../../lib/metrics';
import { tf } from '../../lib/tf';
import { type AnimationFrames, renderAnimation, renderAnimationLater } from './animation-render';

export { type AnimationFacts, animationFile } from './animation-render';

export interface TrainingAnimation {
  /** The plot's title; ": epoch e of E" is added. */
  title: string;
  xRange: [number, number];
  yRange: [number, number];
  /** The training data in original units: the same set the fits train on, scaled or not. */
  data: { xs: ArrayLike<number>; ys: ArrayLike<number> };
  /** The true curve, drawn for reference. */
  truth?: (x: number) => number;
  /** What one fit is called when there are several ("restart" gives "restart 1", "restart 2"...). */
  fitLabel?: string;
}

/** A few dozen frames: enough to see the curve move, few enough to stay a few hundred KB. */
export const ANIMATION_FRAMES = 36;
const GRID_POINTS = 121;
/** Data points drawn per frame, at most (kata 03 trains on 8,000: a few dozen show the set without hiding the curve). */
const MAX_DATA_POINTS = 60;

interface Watcher {
  onFitStart(model: LayersModel, x: unknown, y: unknown, args: { epochs?: number }): void;
  onEpochEnd(model: LayersModel, epoch: number): void;
  onFitEnd(): void;
}
interface TrainingGuard {
  watch(watcher: Watcher): () => void;
}

/** The epochs (counted from 1) after which a frame is taken: denser early on; 0 is the start. */
export function frameEpochs(epochs: number, frames = ANIMATION_FRAMES): number[] {
  if (epochs < frames) return Array.from({ length: epochs + 1 }, (_, e) => e);
  const steps = frames - 1;
  const chosen = new Set<number>([0]);
  for (let k = 1; k <= steps; k += 1) chosen.add(Math.max(1, Math.round(epochs * (k / steps) ** 2)));
  return [...chosen].sort((a, b) => a - b);
}

interface Affine { scale: number; shift: number }

/** The affine map from `raw` onto `seen` (the same set of numbers, scaled), or undefined when there is none. */
function affineOnto(raw: ArrayLike<number>, seen: ArrayLike<number>): Affine | undefined {
  if (raw.length !== seen.length || raw.length === 0) return undefined;
  const stats = (v: ArrayLike<number>) => {
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (let i = 0; i < v.length; i += 1) {
      const value = v[i] as number;
      min = Math.min(min, value);
      max = Math.max(max, value);
      sum += value;
    }
    return { min, max, mean: sum / v.length };
  };
  const r = stats(raw);
  const s = stats(seen);
  if (r.max === r.min) return undefined;
  const scale = (s.max - s.min) / (r.max - r.min);
  const shift = s.min - scale * r.min;
  const tolerance = 1e-3 * Math.max(s.max - s.min, 1e-12);
  return Math.abs(scale * r.mean + shift - s.mean) <= tolerance && scale !== 0 ? { scale, shift } : undefined;
}

interface Track {
  schedule: number[];
  totalEpochs: number;
  curves: number[][];
  input: Tensor;
  y: Affine;
}

function predictCurve(model: LayersModel, track: Track): number[] {
  return tf.tidy(() => Array.from((model.predict(track.input) as Tensor).dataSync(), (v) => (v - track.y.shift) / track.y.scale));
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function everyNth(values: ArrayLike<number>, most: number): number[] {
  const step = Math.max(1, Math.ceil(values.length / most));
  return Array.from(values).filter((_, i) => i % step === 0);
}

export async function watchTraining<T>(name: string, animation: TrainingAnimation, train: () => Promise<T>): Promise<T> {
  const guard = (globalThis as { __KATA_TRAINING__?: TrainingGuard }).__KATA_TRAINING__;
  const bridged = (globalThis as { __KATA_BRIDGE__?: unknown }).__KATA_BRIDGE__ !== undefined;
  if (!guard || bridged || process.env.KATA_ANIMATE === '0') return train();

  const grid = linspace(animation.xRange[0], animation.xRange[1], GRID_POINTS);
  const tracks: Track[] = [];
  const current = new Map<LayersModel, Track>();
  let captureCpuMs = 0;
  const timed = (work: () => void) => {
    const started = cpuMs();
    work();
    captureCpuMs += cpuMs() - started;
  };
  const unwatch = guard.watch({
    onFitStart: (model, x, y, args) =>
      timed(() => {
        if (!(x instanceof tf.Tensor) || !(y instanceof tf.Tensor) || x.shape[1] !== 1) return;
        const xMap = affineOnto(animation.data.xs, x.dataSync());
        const yMap = affineOnto(animation.data.ys, y.dataSync());
        if (!xMap || !yMap) return;
        const totalEpochs = args.epochs ?? 1;
        const input = tf.tensor2d(grid.map((g) => xMap.scale * g + xMap.shift), [grid.length, 1]);
        const track: Track = { schedule: frameEpochs(totalEpochs), totalEpochs, curves: [], input, y: yMap };
        track.curves.push(predictCurve(model, track));
        tracks.push(track);
        current.set(model, track);
      }),
    onEpochEnd: (model, epoch) => {
      const track = current.get(model);
      if (track && track.schedule.includes(epoch + 1)) timed(() => track.curves.push(predictCurve(model, track)));
    },
    onFitEnd: () => {
      for (const track of current.values()) track.input.dispose();
      current.clear();
    },
  });
  try {
    return await train();
  } finally {
    unwatch();
    try {
      if (tracks.length > 0) {
        const frames: AnimationFrames = {
          name,
          title: animation.title,
          xRange: animation.xRange,
          yRange: animation.yRange,
          data: { xs: everyNth(animation.data.xs, MAX_DATA_POINTS), ys: everyNth(animation.data.ys, MAX_DATA_POINTS) },
          ...(animation.truth ? { truth: grid.map(animation.truth) } : {}),
          ...(animation.fitLabel ? { fitLabel: animation.fitLabel } : {}),
          grid,
          tracks: tracks.map(({ schedule, totalEpochs, curves }) => ({ schedule, totalEpochs, curves })),
          captureCpuMs: Math.round(captureCpuMs),
        };
        // Drawing and encoding cost about as much as a short training: a process of its own does it
        // on a free core while the tests go on (KATA_ANIMATE=sync: here and now, as the tools' tests need).
        if (process.env.KATA_ANIMATE === 'sync') renderAnimation(frames);
        else renderAnimationLater(frames);
      }
    } catch (error) {
      process.emitWarning(`${name}: no training animation: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
