import {
  buildTanhNetwork,
  compareScaling,
  EPOCHS,
  KEEP_BEST,
  LEARNING_RATE,
  lossSpread,
  type Restart,
  trainRestarts,
  trainTanhNetwork,
  X_SCALE,
  XS,
  Y_SCALE,
} from '@kata/04-tanh-restarts/tanh-restarts';
import type { LayersModel, Optimizer } from '@tensorflow/tfjs';
import { foldScaling } from '../lib/fold-scaling';
import { meanSquaredError } from '../lib/metrics';
import { disposeModel, predictValues } from '../lib/predict';
import { renderPlot } from '../lib/plot';
import { tf } from '../lib/tf';
import { withTimeLimit } from '../lib/time-limit';
import { PLOT_TOLERANCE, restartsPlot } from './calibration/04-tanh-restarts';
import { EMPTY, expectInputError, expectNoTensorLeak } from './support/kata-calls';
import { check, checkBetween, type Measured, measuredText, once } from './support/teach';
import { watchTraining } from './support/animate';
import { byVariant, integerIn, uniformIn } from './support/variant';
import { testCompiles } from './support/type-check';

/*
 * Every range quoted below was measured with test/calibration/04-tanh-restarts.ts
 * on the cpu backend, over the reference (seed blocks 1-10) and the three valid
 * alternatives of test/mutants/04-tanh-restarts/ (blocks 1-4 each): Adam 0.07 (the
 * reference), 0.05 and 0.03, SGD with momentum 0.2; 200-400 epochs; scales 10/100 and 5/50; three
 * seedings; tensor and plain arithmetic (npm run calibrate -- 04 --seeds 1-4).
 * Calibration seed s trains the block of network seeds 8s-7..8s; block 1 is what
 * this test trains.
 */
const SQUARES = XS.map((x) => x * x);
/** How many restarts the test trains (seeds 1..8); the bounds below are calibrated for 8. */
const RESTARTS = 8;
/**
 * Best final MSE of 8 restarts: 0.22-0.88 over every implementation and block
 * (reference 0.40-0.78; the answer's best of 20 was 2.33). 2.5 keeps the
 * answer's figure as the bar, 2.8 times the worst measured.
 */
const MAX_BEST_MSE = 2.5;
/** Over what every range of this file was measured. */
const CALIBRATED = 'the reference (seed blocks 1-10) and three other recipes (blocks 1-4): npm run calibrate -- 04 --seeds 1-4';
const BEST_MSE_MEASURED: Measured = { range: [0.22, 0.88], over: CALIBRATED };
/**
 * The answer's point: its five best runs "follow the parabola closely". The 5th
 * best of 8 measured 0.65-2.46 over every implementation and block (reference
 * 0.85-2.20); 5 (an RMS error of 2.2 on labels up to 100) leaves twice that. It is also what
 * the plot needs: five curves on the parabola (see PLOT_TOLERANCE).
 */
const MAX_KEPT_MSE = 5;
const KEPT_MSE_MEASURED: Measured = { range: [0.65, 2.46], over: CALIBRATED };
/**
 * The lesson: the random start matters. Worst / best over 8 restarts measured
 * 2.8-15 over every implementation and block (reference 5.6-15; the answer's
 * own recipe: 35 over 20 starts; the lowest, 2.8-3.9, from the 5/50 scaling).
 * A recipe whose restarts all end alike has stopped showing it.
 */
const MIN_SPREAD_RATIO = 2;
const SPREAD_RATIO_MEASURED: Measured = { range: [2.8, 15], over: CALIBRATED };
/**
 * Task 5: raw MSE / scaled MSE after the same epochs with the same optimizer
 * for seeds 1-10 (reference) and 1-4 (alternatives): 61-1780 (raw runs that
 * diverged count as Infinity). 5 is 12 times below the lowest;
 * a recipe on which scaling changes nothing gives about 1.
 */
const MIN_SCALING_RATIO = 5;
const SCALING_RATIO_MEASURED: Measured = { range: [61, 1780], over: `${CALIBRATED} (seeds 1-10 for the reference)` };
/**
 * finalMse against the returned model's MSE, relative. Any valid way of
 * computing it agrees to 1e-5 in float32 (measured 0-8e-6, the largest from
 * model.evaluate before folding); the last logged
 * loss of a 2-4 epoch Adam(0.05) run, logged before that epoch's update, is
 * 3.5%-175% off (seeds 1-8), 35 times the tolerance or more. Backends: 0 for the
 * reference on cpu and on wasm (measured with the reference, variants 0, 3 and 11: docs/maintainers.md, "Backends").
 */
const MSE_AGREEMENT = 1e-3;
/** The reference trains 8 restarts in about 2 s; this is the "never returns" guard, stated in the README. */
const TRAINING_SECONDS = 60;

const timed = <T>(work: () => Promise<T>, what: string) => withTimeLimit(work, TRAINING_SECONDS, `kata 04, ${what}`);
const ANIMATION = { title: 'Kata 04: restarts of a tanh network', xRange: [-10, 10] as [number, number], yRange: [-20, 120] as [number, number], data: { xs: XS, ys: SQUARES }, truth: (x: number) => x * x, fitLabel: 'restart' };
const restarts = once(() => timed(() => watchTraining('04-tanh-restarts', ANIMATION, () => trainRestarts(RESTARTS, KEEP_BEST)), 'task 3: trainRestarts()'));

afterAll(async () => {
  const result = await restarts.ifStarted()?.catch(() => undefined);
  result?.best.forEach((r) => disposeModel(r.model));
});

const agrees = (a: number, b: number, relative: number) => Math.abs(a - b) <= relative * Math.max(Math.abs(a), Math.abs(b), 1e-6);
const fmt = (v: number) => (Number.isFinite(v) ? v.toPrecision(4) : String(v));
const scalingIsOn = Number(X_SCALE) !== 1 || Number(Y_SCALE) !== 1;

/** Fails unless `finalMse` is the MSE of `model` on the 21 points, naming the cause it can verify. */
function expectFinalMseOfModel(what: string, model: LayersModel, finalMse: number): void {
  const predictions = predictValues(model, XS);
  const broken = predictions.findIndex((y) => !Number.isFinite(y));
  check(broken < 0, () => `${what}: the returned model predicts ${String(predictions[broken])} at x = ${XS[broken]}: training diverged. Lower the learning rate.`);
  const measured = meanSquaredError(predictions, SQUARES);
  if (agrees(measured, finalMse, MSE_AGREEMENT)) return;
  const unfolded = scalingIsOn ? meanSquaredError(predictValues(model, XS.map((x) => x / X_SCALE)).map((y) => y * Y_SCALE), SQUARES) : NaN;
  let cause =
    'finalMse must be the returned model\'s MSE on the 21 points in original units: compute it from the model you return, after folding. ' +
    "(The loss tfjs logs for an epoch is measured before that epoch's update, so the last logged loss is not the returned model's.)";
  if (Number(Y_SCALE) !== 1 && agrees(measured, finalMse * Y_SCALE ** 2, 1e-2)) {
    cause = `finalMse times Y_SCALE² (${Y_SCALE}²) is the model's MSE: report it in original units.`;
  } else if (scalingIsOn && agrees(unfolded, finalMse, 1e-2)) {
    cause = `The model answers in scaled units (Y_SCALE · model(x / X_SCALE) has MSE ${fmt(unfolded)}): fold the scaling into its weights (lib/fold-scaling.ts) before returning it.`;
  }
  throw new Error(`${what}: finalMse is ${fmt(finalMse)} but the returned model's MSE on the 21 points is ${fmt(measured)}. ${cause}`);
}

/**
 * The test's own training of `seed`: buildTanhNetwork(seed) compiled with `optimizer`, `epochs` full-batch
 * epochs of model.fit on x / X_SCALE and x² / Y_SCALE (raw numbers with `scaled: false`), folded back
 * (unless `fold: false`): with the defaults, what trainTanhNetwork must return. Returns its predictions at XS
 * and its MSE there, and the MSE before the last epoch's update (what tfjs logs as the last loss).
 */
async function replayed(seed: number, epochs: number, optimizer: Optimizer, how: { scaled?: boolean; fold?: boolean } = {}): Promise<{ predictions: number[]; lastLogged: number }> {
  const [xScale, yScale] = how.scaled === false ? [1, 1] : [X_SCALE, Y_SCALE];
  const model = await buildTanhNetwork(seed);
  model.compile({ optimizer, loss: 'meanSquaredError' });
  const x = tf.tensor2d(XS.map((v) => v / xScale), [XS.length, 1]);
  const y = tf.tensor2d(SQUARES.map((v) => v / yScale), [XS.length, 1]);
  try {
    const history = await timed(() => model.fit(x, y, { epochs, batchSize: XS.length, shuffle: false, verbose: 0 }), `the test's own model.fit of buildTanhNetwork(${seed})`);
    if (how.fold !== false) foldScaling(model, { xOffset: 0, xScale, yOffset: 0, yScale });
    return { predictions: predictValues(model, XS), lastLogged: ((history.history.loss as number[]).at(-1) ?? NaN) * yScale * yScale };
  } finally {
    tf.dispose([x, y]);
    disposeModel(model);
  }
}
const largestGap = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - (b[i] as number))));
/** Two trainings of one start with one optimizer agree to float32 rounding (1e-5 of the largest prediction); another number of epochs is off by far more. */
const REPLAY_TOLERANCE = 1e-3;

/**
 * When a bound on the restarts fails: checks the candidate causes it can check cheaply, and names
 * the one that holds; otherwise says what it measured and lists the candidates as possibilities.
 * - the same start for every seed (the seed ignored somewhere);
 * - too few epochs: the best and worst seeds trained twice as long.
 */
/** Seeds and MSEs are numbers: a string sorts and compares as text, and every later message would mislead. */
function expectNumbers(what: string, restarts: Restart[], allMse: unknown[]): void {
  for (const [name, value] of [...restarts.flatMap((r) => [['seed', r.seed], ['finalMse', r.finalMse]] as const), ...allMse.map((v) => ['allMse', v] as const)]) {
    check(typeof value === 'number', () => `${what} returned ${name} ${JSON.stringify(value)}, a ${typeof value}: it must be a number (the type check of your kata file says where).`);
  }
}

/** The MSE of Y_SCALE · model(x / X_SCALE): low when a model answers in scaled units (its scaling not folded in). */
function mseIfUnfolded(model: LayersModel): number {
  return scalingIsOn ? meanSquaredError(predictValues(model, XS.map((x) => x / X_SCALE)).map((y) => y * Y_SCALE), SQUARES) : NaN;
}
const answersScaled = (r: Restart | undefined) => r !== undefined && mseIfUnfolded(r.model) < 0.1 * r.finalMse;
const foldAdvice = (r: Restart) =>
  `Checked: the model of seed ${r.seed} answers in scaled units (Y_SCALE · model(x / X_SCALE) has MSE ${fmt(mseIfUnfolded(r.model))}, against finalMse ${fmt(r.finalMse)}): ` +
  'fold the scaling into its weights (lib/fold-scaling.ts) before returning it.';

async function restartDiagnosis(allMse: number[], kept: Restart[], bound: { what: string; holds: (mses: number[]) => boolean }): Promise<string> {
  const sorted = [...allMse].sort((a, b) => a - b);
  const list = `All ${allMse.length} final MSEs: ${sorted.map(fmt).join(', ')}.`;
  if (answersScaled(kept[0])) return `${list} ${foldAdvice(kept[0] as Restart)}`;
  if (sorted.every((v) => agrees(v, sorted[0] as number, 1e-9))) {
    const [one, two] = [await trainTanhNetwork(1, { epochs: 2 }), await trainTanhNetwork(2, { epochs: 2 })];
    const sameStart = largestGap(predictValues(one.model, XS), predictValues(two.model, XS)) === 0;
    [one, two].forEach((r) => disposeModel(r.model));
    return `${list} Every restart ended exactly alike: ${sameStart ? 'trainTanhNetwork(1) and trainTanhNetwork(2) train the same network, so the seed does not reach buildTanhNetwork (checked).' : 'trainTanhNetwork(1) and trainTanhNetwork(2) differ, so trainRestarts() trains the same seed every time: train seeds 1..count (checked).'}`;
  }
  // Too few epochs: does training the best and the last kept seed twice as long change the verdict?
  const probes = [kept[0], kept.at(-1)].filter((r): r is Restart => r !== undefined);
  const longer: number[] = [];
  for (const { seed } of probes) {
    const run = await timed(() => trainTanhNetwork(seed, { epochs: 2 * EPOCHS }), 'task 2: trainTanhNetwork()');
    disposeModel(run.model);
    longer.push(run.finalMse);
  }
  const seeds = probes.map((r) => r.seed).join(' and ');
  // Still training: twice the epochs lower one of them by more than 30%.
  const improved = longer.some((mse, i) => mse < 0.7 * (probes[i] as Restart).finalMse);
  if (improved && bound.holds(longer)) {
    return `${list} Trained twice as long (${2 * EPOCHS} epochs), seeds ${seeds} reach ${longer.map(fmt).join(' and ')} instead of ${probes.map((r) => fmt(r.finalMse)).join(' and ')}, which ${bound.what}: your recipe stops before training has run its course. Train more epochs or with a larger learning rate (checked on seeds ${seeds}).`;
  }
  return (
    `${list} Measured: trained twice as long (${2 * EPOCHS} epochs), seeds ${seeds} reach ${longer.map(fmt).join(' and ')} instead of ${probes.map((r) => fmt(r.finalMse)).join(' and ')}, which does not settle it. ` +
    'Possible causes: a learning rate too small or too large for your scaling, unscaled numbers (README, "Scaling and the optimiser"), or an initialisation unlike task 1\'s.'
  );
}

const weightsOf = (model: LayersModel) => model.getWeights().map((w) => Array.from(w.dataSync()));

describe('kata 04: a small tanh network on few points, and how much the random start matters', () => {
  test('task 1: buildTanhNetwork() is Dense(10, tanh) → Dense(1), initialised as PyTorch does, and the seed decides its start', async () => {
    const [seed, other] = byVariant('network seeds', [1, 2], (random) => {
      const first = integerIn(random, 1, 1000);
      return [first, first + integerIn(random, 1, 1000)];
    });
    const a = await buildTanhNetwork(seed);
    const b = await buildTanhNetwork(seed);
    const c = await buildTanhNetwork(other);
    try {
      expect(a.layers.map((l) => l.getConfig().units)).toEqual([10, 1]);
      expect(a.layers.map((l) => l.getConfig().activation)).toEqual(['tanh', 'linear']);
      expect(a.inputs[0]?.shape).toEqual([null, 1]);
      expect(weightsOf(b)).toEqual(weightsOf(a));
      check(JSON.stringify(weightsOf(c)) !== JSON.stringify(weightsOf(a)), () => `Seeds ${seed} and ${other} gave the same start: seed every initialiser from the seed.`);
      const [hiddenKernel = [], hiddenBias = [], outputKernel = []] = weightsOf(a);
      check(hiddenBias.some((v) => v !== 0), () => "The hidden biases all start at 0: every tanh is then centred on x = 0. Initialise them as PyTorch does (the answer's code).");
      // Uniform in ±1/√fan_in: 10 draws all inside 0.3 of the limit has probability 0.3¹⁰ = 6e-6.
      for (const [name, values, fanIn] of [['hidden kernel', hiddenKernel, 1], ['hidden bias', hiddenBias, 1], ['output kernel', outputKernel, 10]] as const) {
        const limit = 1 / Math.sqrt(fanIn);
        const largest = Math.max(...values.map(Math.abs));
        check(largest <= limit * (1 + 1e-6) && largest >= 0.3 * limit, () =>
          `The ${name}'s largest |value| is ${fmt(largest)}; uniform in ±1/√fan_in = ±${fmt(limit)} (fan_in ${fanIn}) puts it between ${fmt(0.3 * limit)} and ${fmt(limit)}.`);
      }
    } finally {
      [a, b, c].forEach(disposeModel);
    }
    await expectNoTensorLeak('buildTanhNetwork() then disposeModel()', async () => disposeModel(await buildTanhNetwork(seed)));
  });

  test('task 2: trainTanhNetwork() returns a model on raw numbers whose MSE is finalMse, and uses the optimizer and scaling it is given', async () => {
    const seed = byVariant('probe seed', 3, (random) => integerIn(random, 1, 1000));
    const epochs = byVariant('probe epochs', 2, (random) => integerIn(random, 2, 4));
    // A short Adam run moves the loss fast, so the last logged loss differs from the final model's.
    const short = await timed(() => trainTanhNetwork(seed, { epochs, optimizer: tf.train.adam(0.05), scaled: true }), 'task 2: trainTanhNetwork()');
    // With SGD at learning rate 0 nothing moves: the returned model is the start, folded.
    const frozenRaw = await timed(() => trainTanhNetwork(seed, { epochs: 2, optimizer: tf.train.sgd(0), scaled: false }), 'task 2: trainTanhNetwork()');
    const frozenScaled = await timed(() => trainTanhNetwork(seed, { epochs: 2, optimizer: tf.train.sgd(0) }), 'task 2: trainTanhNetwork()');
    const start = await buildTanhNetwork(seed);
    try {
      expectNumbers(`trainTanhNetwork(${seed})`, [short], []);
      check(short.seed === seed, () => `trainTanhNetwork(${seed}) returned seed ${short.seed}.`);
      // The short run is `epochs` full-batch steps of that Adam from buildTanhNetwork(seed), scaled, folded: replayed here.
      const call = `trainTanhNetwork(${seed}, { epochs: ${epochs}, optimizer: tf.train.adam(0.05) })`;
      const gotShort = predictValues(short.model, XS);
      const right = await replayed(seed, epochs, tf.train.adam(0.05));
      const scale = Math.max(1, ...right.predictions.map(Math.abs));
      const matches = (other: number[]) => largestGap(gotShort, other) <= REPLAY_TOLERANCE * scale;
      // finalMse: the returned model's MSE; checked against the loss tfjs logged for the last epoch first, the likeliest mistake.
      if (!agrees(meanSquaredError(gotShort, SQUARES), short.finalMse, MSE_AGREEMENT) && agrees(right.lastLogged, short.finalMse, 1e-3)) {
        check(false, () => `${call}: finalMse is ${fmt(short.finalMse)}, the loss tfjs logged for the last epoch (measured before that epoch's update), not the returned model's MSE on the 21 points (${fmt(meanSquaredError(gotShort, SQUARES))}): compute it from the model you return.`);
      }
      expectFinalMseOfModel(call, short.model, short.finalMse);
      if (!matches(right.predictions)) {
        // Name a cause only if it reproduces the returned model.
        const candidates: [string, () => Promise<number[]>][] = [
          ['It answers in scaled units: it is that training, not folded. Fold the scaling into the weights (lib/fold-scaling.ts) before returning the model.', async () => (await replayed(seed, epochs, tf.train.adam(0.05), { fold: false })).predictions],
          [`It is ${EPOCHS} epochs of that training, your EPOCHS: train options.epochs epochs when it is given.`, async () => (await replayed(seed, EPOCHS, tf.train.adam(0.05))).predictions],
          ['It is that training on raw numbers: scale x and x² unless scaled is false.', async () => (await replayed(seed, epochs, tf.train.adam(0.05), { scaled: false })).predictions],
          [`It is that training with Adam(LEARNING_RATE = ${LEARNING_RATE}), not the optimizer given: compile with options.optimizer when it is given.`, async () => (await replayed(seed, epochs, tf.train.adam(Number(LEARNING_RATE)))).predictions],
          [`It is that training with SGD(LEARNING_RATE = ${LEARNING_RATE}), not the optimizer given: compile with options.optimizer when it is given.`, async () => (await replayed(seed, epochs, tf.train.sgd(Number(LEARNING_RATE)))).predictions],
        ];
        let cause = 'Train the model of buildTanhNetwork(seed) with options.optimizer for options.epochs epochs, one batch of all 21 points per epoch, on x / X_SCALE and x² / Y_SCALE, and fold.';
        for (const [because, make] of candidates) {
          if (matches(await make())) {
            cause = because;
            break;
          }
        }
        check(false, () =>
          `${call} returned a model whose predictions differ by up to ${fmt(largestGap(gotShort, right.predictions))} from ${epochs} full-batch epochs of that optimizer ` +
          `from buildTanhNetwork(${seed}), on x / X_SCALE and x² / Y_SCALE, folded (the test's own model.fit). ${cause}`,
        );
      }
      const startRaw = predictValues(start, XS);
      const startScaled = predictValues(start, XS.map((x) => x / X_SCALE)).map((y) => y * Y_SCALE);
      const gotRaw = predictValues(frozenRaw.model, XS);
      const rawGap = largestGap(gotRaw, startRaw);
      if (!(rawGap <= 1e-4 * Math.max(1, ...startRaw.map(Math.abs)))) {
        const near = (a: number[], b: number[]) => largestGap(a, b) <= REPLAY_TOLERANCE * Math.max(1, ...b.map(Math.abs));
        const ownOptimizer = near(gotRaw, (await replayed(seed, 2, tf.train.adam(Number(LEARNING_RATE)), { scaled: false })).predictions) || near(gotRaw, (await replayed(seed, 2, tf.train.sgd(Number(LEARNING_RATE)), { scaled: false })).predictions);
        const cause = near(gotRaw, startScaled)
          ? 'It is the start scaled and folded with X_SCALE and Y_SCALE: train on raw x and x² when scaled is false (checked).'
          : ownOptimizer
            ? `It is 2 epochs of your default optimizer (LEARNING_RATE = ${LEARNING_RATE}) on raw numbers: compile with options.optimizer when it is given (checked).`
            : 'Possible causes: options.optimizer not used, scaled: false not obeyed, or a model other than buildTanhNetwork(seed).';
        check(false, () =>
          `trainTanhNetwork(${seed}, { optimizer: tf.train.sgd(0), scaled: false }) should return buildTanhNetwork(${seed}) unchanged (learning rate 0, raw numbers), ` +
          `but its predictions differ by up to ${fmt(rawGap)}. ${cause}`);
      }
      expectFinalMseOfModel(`trainTanhNetwork(${seed}, { optimizer: tf.train.sgd(0), scaled: false })`, frozenRaw.model, frozenRaw.finalMse);
      const gotScaled = predictValues(frozenScaled.model, XS);
      const scaledGap = Math.max(...gotScaled.map((y, i) => Math.abs(y - (startScaled[i] as number))));
      check(scaledGap <= 1e-4 * Math.max(1, ...startScaled.map(Math.abs)), () =>
        `trainTanhNetwork(${seed}, { optimizer: tf.train.sgd(0) }) should return the start folded, Y_SCALE · start(x / X_SCALE) with X_SCALE = ${X_SCALE}, Y_SCALE = ${Y_SCALE}, ` +
        `but its predictions differ by up to ${fmt(scaledGap)}` +
        (largestGap(gotScaled, startRaw) <= 1e-4 * Math.max(1, ...startRaw.map(Math.abs))
          ? ': it returns the start itself, unscaled or not folded. Scale by X_SCALE and Y_SCALE by default, and fold with { xOffset: 0, xScale: X_SCALE, yOffset: 0, yScale: Y_SCALE }.'
          : '. Possible causes: options.optimizer not used, or another scaling than X_SCALE and Y_SCALE.'));
      expectFinalMseOfModel(`trainTanhNetwork(${seed}, { optimizer: tf.train.sgd(0) })`, frozenScaled.model, frozenScaled.finalMse);
    } finally {
      [short.model, frozenRaw.model, frozenScaled.model, start].forEach(disposeModel);
    }
    await expectNoTensorLeak('trainTanhNetwork() then disposeModel()', async () => disposeModel((await trainTanhNetwork(1, { epochs: 2 })).model));
  });

  test(`task 3: trainRestarts() trains seeds 1..count, keeps the best, reports MSEs that retraining reproduces, and its best of ${RESTARTS} is at most ${MAX_BEST_MSE}`, async () => {
    const { best, allMse } = await restarts();
    expectNumbers('trainRestarts()', best, allMse);
    check(allMse.length === RESTARTS, () => `allMse has ${allMse.length} losses; want one per restart (${RESTARTS}).`);
    check(best.length === KEEP_BEST, () => `trainRestarts() kept ${best.length} networks; keep the best ${KEEP_BEST}.`);
    best.forEach((r, i) => check(i === 0 || (best[i - 1]?.finalMse ?? Infinity) <= r.finalMse, () => 'The kept restarts are not sorted best first.'));
    const seeds = best.map((r) => r.seed);
    check(new Set(seeds).size === seeds.length && seeds.every((s) => Number.isInteger(s) && s >= 1 && s <= RESTARTS), () => `The kept seeds are ${seeds.join(', ')}; want distinct seeds from 1..${RESTARTS}.`);
    // One model shared by several restarts (trained on, seed after seed) shows as kept restarts with the same weights.
    const fingerprints = best.map((r) => JSON.stringify(weightsOf(r.model)));
    const twin = fingerprints.findIndex((f, i) => fingerprints.indexOf(f) !== i);
    check(twin < 0, () =>
      `The kept restarts of seeds ${best[fingerprints.indexOf(fingerprints[twin] as string)]?.seed} and ${best[twin]?.seed} have the same weights: ` +
      'one model serves several restarts. Build a fresh network (buildTanhNetwork(seed)) for every restart.');
    best.forEach((r) => expectFinalMseOfModel(`the kept restart of seed ${r.seed}`, r.model, r.finalMse));
    best.forEach((r) => check(allMse.includes(r.finalMse), () => `The kept restart of seed ${r.seed} has finalMse ${fmt(r.finalMse)}, which allMse does not contain.`));
    check(best[0]?.finalMse === Math.min(...allMse), () => 'The first kept restart is not the one with the lowest loss.');
    // A kept restart's MSE is what training its seed gives.
    const retrained = best[byVariant('retrained restart', 0, (random) => integerIn(random, 0, KEEP_BEST - 1))] as Restart;
    const again = await timed(() => trainTanhNetwork(retrained.seed), 'task 2: trainTanhNetwork()');
    disposeModel(again.model);
    check(agrees(again.finalMse, retrained.finalMse, 1e-6), () =>
      `trainRestarts() reported MSE ${fmt(retrained.finalMse)} for seed ${retrained.seed}, but trainTanhNetwork(${retrained.seed}) gives ${fmt(again.finalMse)}: train each restart with trainTanhNetwork(seed, options).`);
    const sorted = [...allMse].sort((x, y) => x - y);
    const bestMse = best[0]?.finalMse ?? NaN;
    checkBetween(`best final MSE of seeds 1..${RESTARTS}`, bestMse, [0, MAX_BEST_MSE], {
      measured: BEST_MSE_MEASURED,
      tooHigh:
        (bestMse > MAX_BEST_MSE ? await restartDiagnosis(allMse, best, { what: `gets the best under ${MAX_BEST_MSE}`, holds: (mses) => Math.min(...mses) <= MAX_BEST_MSE }) : '') +
        ` The recipes the bound was calibrated on reached ${measuredText(BEST_MSE_MEASURED)} (best of 8), and the answer's best of 20 was 2.33.`,
    });
    const fifth = best.at(-1)?.finalMse ?? NaN;
    checkBetween(`final MSE of the ${KEEP_BEST}th best restart of seeds 1..${RESTARTS}`, fifth, [0, MAX_KEPT_MSE], {
      measured: KEPT_MSE_MEASURED,
      tooHigh:
        (fifth > MAX_KEPT_MSE ? await restartDiagnosis(allMse, best, { what: `brings them under ${MAX_KEPT_MSE}`, holds: (mses) => Math.max(...mses) <= MAX_KEPT_MSE }) : '') +
        ` The answer's five best runs follow the parabola closely; the recipes the bound was calibrated on kept five with MSE at most ${measuredText(KEPT_MSE_MEASURED)}. If only this seed block falls short, ` +
        'your recipe is seed-sensitive: compare trainRestarts(16, 5).allMse.',
    });
    best.forEach((r) => {
      const layers = r.model.layers.map((l) => `${String(l.getConfig().units)} ${String(l.getConfig().activation)}`).join(' → ');
      check(layers === '10 tanh → 1 linear', () => `The kept restart of seed ${r.seed} is ${layers}; want the network of task 1, Dense(10, tanh) → Dense(1).`);
    });
  });

  test('task 3: trainRestarts(count, keep, options) passes options to every restart and keeps the best of exactly seeds 1..count', async () => {
    const small = byVariant('small run', { count: 4, keep: 2, epochs: 10 }, (random) => {
      const count = integerIn(random, 3, 5);
      return { count, keep: integerIn(random, 1, count), epochs: integerIn(random, 5, 20) };
    });
    const run = await timed(() => trainRestarts(small.count, small.keep, { epochs: small.epochs }), 'task 3: trainRestarts()');
    const expected: Restart[] = [];
    try {
      for (let seed = 1; seed <= small.count; seed++) expected.push(await timed(() => trainTanhNetwork(seed, { epochs: small.epochs }), 'task 2: trainTanhNetwork()'));
      expected.sort((x, y) => x.finalMse - y.finalMse);
      const call = `trainRestarts(${small.count}, ${small.keep}, { epochs: ${small.epochs} })`;
      const want = expected.map((r) => r.finalMse);
      const got = [...run.allMse].sort((x, y) => x - y);
      check(got.length === small.count, () => `${call}.allMse has ${got.length} values; want one per restart trained (${small.count}), the dropped ones too.`);
      const same = got.every((v, i) => agrees(v, want[i] as number, 1e-6));
      const defaults = same ? [] : (await restarts()).allMse;
      check(same, () =>
        `${call}.allMse is [${got.map(fmt).join(', ')}] (sorted), but trainTanhNetwork(seed, { epochs: ${small.epochs} }) for seeds 1..${small.count} gives [${want.map(fmt).join(', ')}]` +
        (got.every((v) => defaults.some((d) => agrees(v, d, 1e-6)))
          ? ': these are MSEs of restarts trained with your default options (trainRestarts(8, 5) reported them). Pass options on to each restart.'
          : '. Possible causes: seeds other than 1..count, options not passed on to each restart, or an MSE other than finalMse.'));
      const keptSeeds = run.best.map((r) => r.seed).join(', ');
      const wantSeeds = expected.slice(0, small.keep).map((r) => r.seed).join(', ');
      check(keptSeeds === wantSeeds, () => `${call} kept seeds ${keptSeeds}; the ${small.keep} lowest final MSEs are those of seeds ${wantSeeds}, best first.`);
      run.best.forEach((r) => expectFinalMseOfModel(`${call}, kept seed ${r.seed}`, r.model, r.finalMse));
    } finally {
      [...run.best, ...expected].forEach((r) => disposeModel(r.model));
    }
    await expectNoTensorLeak('trainRestarts() then disposeModel() of the kept ones', async () =>
      (await trainRestarts(2, 1, { epochs: 2 })).best.forEach((r) => disposeModel(r.model)),
    );
  });

  test(`task 4: lossSpread() reports how much the start matters: worst / best at least ${MIN_SPREAD_RATIO}`, async () => {
    // One odd and one even count (the median differs); the README's examples at variant 0.
    const randomLosses = (count: number) => (random: () => number) => Array.from({ length: count }, () => uniformIn(random, 0.1, 50));
    const odd = byVariant('spread losses, odd count', [5, 1, 3], randomLosses(3));
    const even = byVariant('spread losses, even count', [4, 1, 3, 2], (random) => randomLosses(2 * integerIn(random, 2, 3))(random));
    for (const losses of [odd, even]) {
      const sorted = [...losses].sort((a, b) => a - b);
      const middle = Math.floor(sorted.length / 2);
      const median = sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
      const spread = await lossSpread(losses);
      const want = { best: sorted[0] as number, median, worst: sorted.at(-1) as number, ratio: (sorted.at(-1) as number) / (sorted[0] as number) };
      for (const key of ['best', 'median', 'worst', 'ratio'] as const) {
        check(agrees(spread[key], want[key], 1e-6), () => `lossSpread([${losses.map(fmt).join(', ')}]).${key} is ${fmt(spread[key])}; want ${fmt(want[key])}.`);
      }
    }
    await expectNoTensorLeak('lossSpread()', async () => lossSpread([3, 1, 2]));
    const { allMse, best } = await restarts();
    const measured = await lossSpread(allMse);
    checkBetween(`worst / best final MSE over seeds 1..${RESTARTS}`, measured.ratio, [MIN_SPREAD_RATIO, Infinity], {
      measured: SPREAD_RATIO_MEASURED,
      tooLow:
        (measured.ratio < MIN_SPREAD_RATIO ? await restartDiagnosis(allMse, best, { what: `spreads them at least ${MIN_SPREAD_RATIO} times apart`, holds: (mses) => Math.max(...mses) / Math.min(...mses) >= MIN_SPREAD_RATIO }) : '') +
        ` The recipes the bound was calibrated on measured worst / best ${measuredText(SPREAD_RATIO_MEASURED)}: restarts that all end alike no longer show the lesson.`,
    });
  });

  test(`task 5: compareScaling() trains the same seed and epochs on raw and scaled numbers; scaling lowers the MSE at least ${MIN_SCALING_RATIO} times`, async () => {
    const { best } = await restarts();
    const restart = best[byVariant('compared restart', 0, (random) => integerIn(random, 0, KEEP_BEST - 1))] as Restart;
    const seed = restart.seed;
    const comparison = await timed(() => compareScaling(seed), 'task 5: compareScaling()');
    const raw = await timed(() => trainTanhNetwork(seed, { scaled: false }), 'task 2: trainTanhNetwork()');
    disposeModel(raw.model);
    const rawMse = Number.isFinite(raw.finalMse) ? raw.finalMse : Infinity;
    const sameMse = (a: number, b: number) => a === b || agrees(a, b, 1e-6);
    check(sameMse(comparison.scaledMse, restart.finalMse), () =>
      `compareScaling(${seed}).scaledMse is ${fmt(comparison.scaledMse)}, but the restart of seed ${seed} (same seed, default options) has finalMse ${fmt(restart.finalMse)}` +
      (sameMse(comparison.scaledMse, rawMse) && sameMse(comparison.rawMse, restart.finalMse)
        ? `: rawMse and scaledMse are swapped (scaledMse is what trainTanhNetwork(${seed}, { scaled: false }) gives, rawMse the scaled run's).`
        : ': train the scaled run with trainTanhNetwork(seed, { epochs }).'));
    check(rawMse === comparison.rawMse || agrees(comparison.rawMse, rawMse, 1e-6), () =>
      `compareScaling(${seed}).rawMse is ${fmt(comparison.rawMse)}, but trainTanhNetwork(${seed}, { scaled: false }) gives ${fmt(rawMse)}: ` +
      'train the raw run with trainTanhNetwork(seed, { epochs, scaled: false }), and report a run that diverged as Infinity.');
    check(agrees(comparison.ratio, comparison.rawMse / comparison.scaledMse, 1e-9) || (comparison.ratio === Infinity && comparison.rawMse === Infinity), () =>
      `compareScaling(${seed}).ratio is ${fmt(comparison.ratio)}; want rawMse / scaledMse = ${fmt(comparison.rawMse / comparison.scaledMse)}.`);
    check(scalingIsOn, () => 'X_SCALE and Y_SCALE are both 1: your "scaled" run is the raw one. Scale x and x² (README, "Scaling and the optimiser").');
    checkBetween(`raw MSE / scaled MSE for seed ${seed} after the same epochs`, comparison.ratio, [MIN_SCALING_RATIO, Infinity], {
      measured: SCALING_RATIO_MEASURED,
      tooLow:
        `Raw numbers reached MSE ${fmt(comparison.rawMse)} and scaled ones ${fmt(comparison.scaledMse)} with your default optimizer; ` +
        `the recipes the bound was calibrated on measured ${measuredText(SCALING_RATIO_MEASURED)}. ` +
        (comparison.ratio < MIN_SCALING_RATIO && answersScaled(restart)
          ? foldAdvice(restart)
          : 'On raw numbers the tanh units start saturated and the output weights must grow to about 100, so the same budget should do far worse there: ' +
            'possible causes are a default optimizer or number of epochs tuned for raw numbers rather than scaled ones (README), or scales that leave the numbers large.'),
    });
    // The epochs argument: a 2-epoch comparison must be two 2-epoch runs (an echo of the argument is not).
    // The leak check's own calls give the comparison to look at.
    const shortRuns: Awaited<ReturnType<typeof compareScaling>>[] = [];
    await expectNoTensorLeak('compareScaling()', async () => shortRuns.push(await compareScaling(1, 2)));
    const short = shortRuns.at(-1) as (typeof shortRuns)[number];
    const [shortScaled, shortRaw] = [await trainTanhNetwork(1, { epochs: 2 }), await trainTanhNetwork(1, { epochs: 2, scaled: false })];
    [shortScaled, shortRaw].forEach((run) => disposeModel(run.model));
    const shortRawMse = Number.isFinite(shortRaw.finalMse) ? shortRaw.finalMse : Infinity;
    const [scaledOk, rawOk] = [agrees(short.scaledMse, shortScaled.finalMse, 1e-6), short.rawMse === shortRawMse || agrees(short.rawMse, shortRawMse, 1e-6)];
    check(short.epochs === 2 && scaledOk && rawOk, () =>
      `compareScaling(1, 2) gave { epochs: ${short.epochs}, scaledMse: ${fmt(short.scaledMse)}, rawMse: ${fmt(short.rawMse)} }, but trainTanhNetwork(1, { epochs: 2 }) ` +
      `gives finalMse ${fmt(shortScaled.finalMse)} and trainTanhNetwork(1, { epochs: 2, scaled: false }) ${fmt(shortRawMse)}: ` +
      (scaledOk && rawOk ? 'return the epochs it was given.' : `pass epochs to ${scaledOk ? 'the raw run' : rawOk ? 'the scaled run' : 'both runs'}.`));
  });

  // Bad input (test/README.md, "Bad input"): a KataInputError naming the argument and showing the value, in the learner's words.
  test('task 2: trainTanhNetwork() refuses epochs that is not a positive whole number', async () => {
    const badEpochs = byVariant('bad epochs', 0, (random) => [0, -3, 2.5, NaN][integerIn(random, 0, 3)] as number);
    await expectInputError(`trainTanhNetwork(1, { epochs: ${badEpochs} })`, () => trainTanhNetwork(1, { epochs: badEpochs }), { names: 'epochs', shows: [String(badEpochs)] });
  });

  test('task 3: trainRestarts() refuses to keep more restarts than it trains', async () => {
    await expectInputError('trainRestarts(3, 5)', () => trainRestarts(3, 5), { names: ['keep', 'count'], shows: ['5', '3'] });
  });

  test('task 4: lossSpread() refuses an empty list', async () => {
    await expectInputError('lossSpread([])', () => lossSpread([]), { names: 'losses', shows: [EMPTY] });
  });

  test('plot: the five kept restarts follow x² across the training range, each drawn from the model whose MSE was checked', async () => {
    const { best, allMse } = await restarts();
    // Seeds and MSEs are checked in numbers, not in pixels (a digit is a few pixels): each curve is the model behind its finalMse.
    best.forEach((r) => expectFinalMseOfModel(`the plotted restart of seed ${r.seed}`, r.model, r.finalMse));
    const png = renderPlot(restartsPlot(best.map((r) => ({ seed: r.seed, finalMse: r.finalMse, predict: (xs: number[]) => predictValues(r.model, xs) })), allMse));
    expect(png).toMatchPlotBaseline('04-tanh-restarts', PLOT_TOLERANCE);
  });
});

testCompiles(__filename);
