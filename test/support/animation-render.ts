/**
 * Draws a training animation recorded by animate.ts and writes it as
 * plots/<name>-training.gif, with its figures in <name>-training.json.
 *
 * Drawing and encoding a few dozen frames costs about as much CPU as a short
 * training (0.3-0.7 s per kata here), so a test run does not wait for it:
 * renderAnimationLater() leaves the frames in plots/.animations/<name>.json and
 * starts this file as a process of its own, which draws them on a free core
 * while the tests go on (and after they end), then removes the frames file.
 * Until it has, the frames file marks the animation as being drawn, not stale
 * (stale-plots.ts). Plain data in, a file out: no TensorFlow.js here.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeGif } from '../../lib/animation';
import { COLOURS, plotFrames, type Series } from '../../lib/plot';
import { plotsDir } from '../../lib/plot-files';

/** What one recorded animation holds: plain numbers, so that another process can draw it. */
export interface AnimationFrames {
  name: string;
  title: string;
  xRange: [number, number];
  yRange: [number, number];
  /** The training data to draw, in original units (already thinned to a few dozen points). */
  data: { xs: number[]; ys: number[] };
  /** The true curve on `grid`. */
  truth?: number[];
  fitLabel?: string;
  grid: number[];
  /** One per fit: the epochs of its frames, its epoch count and its curve on `grid` at each. */
  tracks: { schedule: number[]; totalEpochs: number; curves: number[][] }[];
  captureCpuMs: number;
}

/** What an animation file holds, written beside it as <name>-training.json. */
export interface AnimationFacts {
  frames: number;
  bytes: number;
  fits: number;
  /**
   * CPU time spent predicting between epochs, and drawing and encoding
   * afterwards (process CPU time: what it costs, whatever else the machine runs).
   */
  captureCpuMs: number;
  renderCpuMs: number;
}

const FRAME_WIDTH = 560;
const FRAME_HEIGHT = 350;
const FRAME_MS = 120;
const LAST_FRAME_MS = 2000;
/** Okabe-Ito's colours, then Paul Tol's muted ones: eight restarts, eight colours, none the truth's blue. */
const FIT_COLOURS = [COLOURS.model, COLOURS.second, COLOURS.third, '#E69F00', '#56B4E9', '#882255', '#44AA99', '#999933'];

export function animationFile(name: string): string {
  return path.join(plotsDir(), `${name}-training.gif`);
}

/** Where the frames of `name` wait to be drawn. */
export function pendingFramesFile(name: string, dir = plotsDir()): string {
  return path.join(dir, '.animations', `${name}.json`);
}

/** Are frames of `name` recorded since `sinceMs` waiting or being drawn? Then its GIF is on its way, not stale. */
export function animationBeingDrawn(name: string, sinceMs: number, dir = plotsDir()): boolean {
  const pending = pendingFramesFile(name, dir);
  const folder = path.dirname(pending);
  if (!fs.existsSync(folder)) return false;
  return fs
    .readdirSync(folder)
    .filter((file) => file === path.basename(pending) || (file.startsWith(`${path.basename(pending)}.`) && file.endsWith('.drawing')))
    .some((file) => (fs.statSync(path.join(folder, file), { throwIfNoEntry: false })?.mtimeMs ?? 0) >= sinceMs);
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function drawFrames(recorded: AnimationFrames) {
  const { grid, tracks } = recorded;
  const fixed: Series[] = [
    { label: 'training data', xs: recorded.data.xs, ys: recorded.data.ys, style: 'points', colour: COLOURS.data, pointRadius: 2 },
    ...(recorded.truth ? [{ label: 'true curve', xs: grid, ys: recorded.truth, style: 'line' as const, colour: COLOURS.truth }] : []),
  ];
  const plot = plotFrames(
    { title: recorded.title, xLabel: 'x', yLabel: 'y', xRange: recorded.xRange, yRange: recorded.yRange, series: fixed, width: FRAME_WIDTH, height: FRAME_HEIGHT },
    grid,
    tracks.map((_, i) => ({
      label: tracks.length === 1 ? 'network' : `${recorded.fitLabel ?? 'fit'} ${i + 1}`,
      colour: FIT_COLOURS[i % FIT_COLOURS.length] as string,
    })),
  );
  const lead = tracks[0] as AnimationFrames['tracks'][number];
  const frames = Math.max(...tracks.map((t) => t.curves.length));
  return Array.from({ length: frames }, (_, k) =>
    plot.frame(
      tracks.map((track) => track.curves[Math.min(k, track.curves.length - 1)] as number[]),
      `epoch ${lead.schedule[Math.min(k, lead.curves.length - 1)] ?? 0} of ${lead.totalEpochs}`,
    ),
  );
}

/** Writes `file` whole or not at all: a reader never sees half a GIF. */
function writeAtomically(file: string, content: string | Uint8Array): void {
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, content);
  fs.renameSync(partial, file);
}

/** Draws the animation now, in this process. */
export function renderAnimation(recorded: AnimationFrames): AnimationFacts {
  const started = cpuMs();
  const gif = encodeGif(drawFrames(recorded), { frameMs: FRAME_MS, lastFrameMs: LAST_FRAME_MS });
  const file = animationFile(recorded.name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeAtomically(file, gif);
  const facts: AnimationFacts = {
    frames: Math.max(...recorded.tracks.map((t) => t.curves.length)),
    bytes: gif.length,
    fits: recorded.tracks.length,
    captureCpuMs: recorded.captureCpuMs,
    renderCpuMs: Math.round(cpuMs() - started),
  };
  writeAtomically(file.replace(/\.gif$/, '.json'), `${JSON.stringify(facts, null, 2)}\n`);
  return facts;
}

/** Leaves the frames to be drawn by a process of its own, which this one does not wait for. */
export function renderAnimationLater(recorded: AnimationFrames): void {
  const pending = pendingFramesFile(recorded.name);
  fs.mkdirSync(path.dirname(pending), { recursive: true });
  writeAtomically(pending, JSON.stringify(recorded));
  // esbuild-register strips the types without loading TypeScript: the drawing starts in a fraction of ts-node's time.
  const child = spawn(process.execPath, ['-r', require.resolve('esbuild-register'), __filename, pending], {
    detached: true,
    stdio: 'ignore',
    windowsHide: true,
    // This process's environment as the test sees it (KATA_PLOTS_DIR, say), not the worker's own.
    env: { ...process.env },
  });
  child.on('error', () => undefined);
  // Lowest priority: on a busy machine (a whole suite on every core) the drawing waits for the
  // tests instead of slowing them; it takes a core only when one is free.
  if (child.pid !== undefined) {
    try {
      os.setPriority(child.pid, 19);
    } catch {
      // not permitted here: it draws at normal priority
    }
    // Detached, it leads a session of its own; where Linux groups each session's processes for
    // the scheduler (autogroups, on by default in most distributions) a process's nice value only
    // ranks it within its group, and the group competed with the whole test run as an equal:
    // measured +1.0-1.6 s on the suite. The group's own nice value is in /proc (sched(7)).
    try {
      fs.writeFileSync(`/proc/${child.pid}/autogroup`, '19');
    } catch {
      // no autogroups here (or not Linux): the process's own priority is all there is
    }
  }
  child.unref();
}

/** The drawing process: takes the frames file (a later run may have left newer frames: those win), draws, removes it. */
function renderPending(pending: string): void {
  const taken = `${pending}.${process.pid}.drawing`;
  try {
    fs.renameSync(pending, taken);
  } catch {
    return; // another drawing process took it
  }
  try {
    renderAnimation(JSON.parse(fs.readFileSync(taken, 'utf8')) as AnimationFrames);
  } finally {
    fs.rmSync(taken, { force: true });
  }
}

if (require.main === module) renderPending(process.argv[2] as string);
