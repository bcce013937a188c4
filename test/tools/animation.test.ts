/**
 * Watch it learn: watchTraining() records the reference trainings of katas
 * 01 and 04 (the one fit and the eight restarts the kata tests run anyway)
 * and writes an animated GIF of a few dozen frames and a few hundred KB at
 * most, without changing the training; KATA_ANIMATE=0 writes nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GifReader } from 'omggif';
import { integerRange } from '../../lib/metrics';
import { disposeModel } from '../../lib/predict';
import { trainLinearModel } from '../../solutions/01-linear-model/linear-model';
import { trainRestarts, XS } from '../../solutions/04-tanh-restarts/tanh-restarts';
import { ANIMATION_FRAMES, type AnimationFacts, animationFile, frameEpochs, watchTraining } from '../support/animate';
import { animationBeingDrawn, pendingFramesFile } from '../support/animation-render';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'animation-test-'));
const savedPlotsDir = process.env.KATA_PLOTS_DIR;
const savedAnimate = process.env.KATA_ANIMATE;
beforeAll(() => {
  process.env.KATA_PLOTS_DIR = scratch;
  // Draw here and now, to read the GIF right after (test runs draw in a process of their own).
  process.env.KATA_ANIMATE = 'sync';
});
afterAll(() => {
  if (savedPlotsDir === undefined) delete process.env.KATA_PLOTS_DIR;
  else process.env.KATA_PLOTS_DIR = savedPlotsDir;
  if (savedAnimate === undefined) delete process.env.KATA_ANIMATE;
  else process.env.KATA_ANIMATE = savedAnimate;
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** "A few hundred KB at most". */
const MAX_BYTES = 300_000;
const LINE_XS = integerRange(-10, 10);
const SQUARES = LINE_XS.map((x) => x * x);
const square = (x: number) => x * x;

function readAnimation(name: string): { frames: number; width: number; facts: AnimationFacts; bytes: number } {
  const file = animationFile(name);
  const reader = new GifReader(fs.readFileSync(file));
  const facts = JSON.parse(fs.readFileSync(file.replace(/\.gif$/, '.json'), 'utf8')) as AnimationFacts;
  console.log(`${name}: ${reader.numFrames()} frames, ${fs.statSync(file).size} bytes, capture ${facts.captureCpuMs} ms + drawing and encoding ${facts.renderCpuMs} ms of CPU`);
  return { frames: reader.numFrames(), width: reader.width, facts, bytes: fs.statSync(file).size };
}

test('frameEpochs(): the start, then denser early on, up to the last epoch', () => {
  // Early epochs round onto the same frame: a few dozen frames, never more than ANIMATION_FRAMES.
  expect(frameEpochs(200).length).toBeGreaterThanOrEqual(30);
  expect(frameEpochs(200).length).toBeLessThanOrEqual(ANIMATION_FRAMES);
  expect(frameEpochs(200)[0]).toBe(0);
  expect(frameEpochs(200).at(-1)).toBe(200);
  expect(frameEpochs(3)).toEqual([0, 1, 2, 3]);
  const gaps = frameEpochs(300).slice(1).map((e, i) => e - (frameEpochs(300)[i] as number));
  expect(gaps[0]).toBeLessThan(gaps.at(-1) as number);
});

test('kata 01: the line flattening onto 36.67, one frame per chosen epoch, and the same training as without watching', async () => {
  const watched = await watchTraining('01-linear-model', { title: 'Kata 01', xRange: [-10, 10], yRange: [-10, 110], data: { xs: LINE_XS, ys: SQUARES }, truth: square }, () =>
    trainLinearModel(LINE_XS, SQUARES, { seed: 1 }),
  );
  const plain = await trainLinearModel(LINE_XS, SQUARES, { seed: 1 });
  expect(watched.losses).toEqual(plain.losses);
  [watched, plain].forEach((t) => disposeModel(t.model));
  const animation = readAnimation('01-linear-model');
  expect(animation.frames).toBe(frameEpochs(200).length);
  expect(animation.facts).toMatchObject({ frames: animation.frames, fits: 1, bytes: animation.bytes });
  expect(animation.bytes).toBeLessThan(MAX_BYTES);
});

test('kata 04: eight restarts, one curve each, in one animation', async () => {
  const { best } = await watchTraining('04-tanh-restarts', { title: 'Kata 04', xRange: [-10, 10], yRange: [-20, 120], data: { xs: XS, ys: XS.map(square) }, truth: square, fitLabel: 'restart' }, () =>
    trainRestarts(8, 5),
  );
  best.forEach((r) => disposeModel(r.model));
  const animation = readAnimation('04-tanh-restarts');
  expect(animation.facts.fits).toBe(8);
  expect(animation.frames).toBeGreaterThanOrEqual(24);
  expect(animation.frames).toBeLessThanOrEqual(ANIMATION_FRAMES);
  expect(animation.bytes).toBeLessThan(MAX_BYTES);
});

test('a fit on other data than the animation was told about is not drawn; KATA_ANIMATE=0 draws nothing', async () => {
  const other = await watchTraining('other-data', { title: 'x', xRange: [-10, 10], yRange: [0, 100], data: { xs: [1, 2, 3], ys: [1, 4, 9] } }, () => trainLinearModel(LINE_XS, SQUARES, { seed: 1, epochs: 3 }));
  disposeModel(other.model);
  expect(fs.existsSync(animationFile('other-data'))).toBe(false);
  process.env.KATA_ANIMATE = '0';
  try {
    const off = await watchTraining('switched-off', { title: 'x', xRange: [-10, 10], yRange: [0, 100], data: { xs: LINE_XS, ys: SQUARES } }, () => trainLinearModel(LINE_XS, SQUARES, { seed: 1, epochs: 3 }));
    disposeModel(off.model);
  } finally {
    process.env.KATA_ANIMATE = 'sync';
  }
  expect(fs.existsSync(animationFile('switched-off'))).toBe(false);
});

test('a test run does not wait for the drawing: the frames go to a process of its own, which writes the GIF and removes them', async () => {
  process.env.KATA_ANIMATE = '1';
  const started = Date.now();
  try {
    const run = await watchTraining('drawn-later', { title: 'x', xRange: [-10, 10], yRange: [-10, 110], data: { xs: LINE_XS, ys: SQUARES } }, () =>
      trainLinearModel(LINE_XS, SQUARES, { seed: 1, epochs: 5 }),
    );
    disposeModel(run.model);
  } finally {
    process.env.KATA_ANIMATE = 'sync';
  }
  // Being drawn: not stale (stale-plots.ts asks this).
  expect(animationBeingDrawn('drawn-later', started)).toBe(true);
  const deadline = Date.now() + 60_000;
  while (fs.existsSync(pendingFramesFile('drawn-later')) || !fs.existsSync(animationFile('drawn-later'))) {
    if (Date.now() > deadline) throw new Error('the drawing process wrote no GIF within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(readAnimation('drawn-later').frames).toBe(6);
  expect(animationBeingDrawn('drawn-later', started)).toBe(false);
  expect(fs.readdirSync(path.dirname(pendingFramesFile('drawn-later')))).toEqual([]);
});
