import { fitScaler, generateSquares, splitValidation } from '@kata/02-training-data/training-data';
import {
  buildReluNetwork,
  countDeadUnits,
  EPOCHS,
  SEED,
  predictOriginal,
  recycleDeadUnits,
  trainOnFewAndMany,
  trainReluNetwork,
} from '@kata/03-deep-relu/deep-relu';
import type { LayersModel, Tensor2D } from '@tensorflow/tfjs';
import { linspace } from '../lib/metrics';
import { loadModel, referenceModelDir } from '../lib/model-files';
import { renderPanels } from '../lib/plot';
import { disposeModel, predictValues } from '../lib/predict';
import { tf } from '../lib/tf';
import { withTimeLimit } from '../lib/time-limit';
import {
  type DeadNetworkWeights,
  deadUnitCounts,
  deadUnits,
  type MinMaxScaler,
  minMaxScalerOf,
  predictThrough,
  randomDeadNetworkWeights,
  rawOutputs,
  reluPanels,
  rmse,
  worstError,
} from './support/deep-relu';
import { expectInputError, expectNoTensorLeak, liveTensors } from './support/kata-calls';
import { handBuiltModel } from './support/hand-built-models';
import { describeLoss, isMeanSquaredError } from './support/mse-loss';
import { check, checkBetween, type Measured, measuredText, once } from './support/teach';
import { watchTraining } from './support/animate';
import { byVariant, integerIn, uniformIn } from './support/variant';
import { testCompiles } from './support/type-check';

/*
 * Every bound below was measured by test/calibration/03-deep-relu.ts
 * (npm run calibrate -- 03 --seeds 1-2) over the reference and the three valid
 * alternatives of test/mutants/03-deep-relu.ts, seed s training with seed s on
 * data seed 41 + s (the variants draw other data seeds); the range is quoted
 * beside each bound. No bound uses the reference's own SEED 9 (chosen as a lucky one).
 */

/** The answer's data: 10,000 x in [-50, 50], the last 20% for validation (kata 02); other data under KATA_VARIANT. */
const SHIPPED_DATA_SEED = 42;
const DATA_SEED = byVariant('data seed', SHIPPED_DATA_SEED, (random) => integerIn(random, 1, 1_000_000));
/**
 * Validation RMSE in original units, of the network and scaler returned.
 * Measured 2.6-7.4 over every recipe and seed (VALIDATION_RMSE_MEASURED; the reference alone, seeds 1-10 on
 * data seeds 42-51: 3.0-7.6); 12 leaves 58% over the worst of all of them.
 * For scale: the answer's 8-8 recipe, unscaled, needs about 3,000 epochs for 12.3.
 */
const MAX_VALIDATION_RMSE = 12;
/** Over what every range of this file was measured. */
const CALIBRATED = 'the reference and three other recipes, seeds 1-2 (npm run calibrate -- 03 --seeds 1-2)';
const VALIDATION_RMSE_MEASURED: Measured = { range: [2.6, 7.4], over: CALIBRATED };
/** The answer's six probes (|x| ≤ 20); under KATA_VARIANT six x drawn in [-20, 20]. */
const PROBES = byVariant('probes', [4, -4, 11, 20, 8, -5], (random) =>
  Array.from({ length: 6 }, () => Math.round(10 * uniformIn(random, -20, 20)) / 10),
);
/** Worst |prediction - x²| on a grid of [-20, 20], measured 7.6-19.9 over every recipe and seed; 30 leaves 50%. */
const PROBE_TOLERANCE = 30;
const PROBE_ERROR_MEASURED: Measured = { range: [0, 19.9], over: `${CALIBRATED}; the worst over a grid of [-20, 20], which bounds the six probes` };
/** float32 arithmetic done in another order: predictions up to 2,500 agree to about 1e-4 (2^-24 of 2,500 per operation). Backends: 0 on cpu and wasm (measured with the reference, variants 0, 3 and 11: docs/maintainers.md, "Backends"). */
const SAME_PREDICTION = (y: number) => 1e-2 + 1e-5 * Math.abs(y);
/** tfjs' val_loss is averaged over batches in float32: agrees with the returned model's MSE to about 1e-5 relative. Backends: 3.0e-7 on cpu, 3.5e-7 on wasm (measured with the reference, variants 0, 3 and 11: docs/maintainers.md, "Backends"). */
const SAME_LOSS_RELATIVE = 1e-3;
/** The main run is expected to take about 2 s (reference, idle machine); this is the "never returns" guard. */
const TRAINING_SECONDS = 60;
/** The short runs of 2 epochs that check the options. */
const SHORT_EPOCHS = 2;
/**
 * The two runs (with and without recycling, one seed) that show whether recycling happens during
 * training: every recipe measured recycles at least once before the 6th epoch (every 2, 3 or 4
 * epochs, until 80-95% of the run), and a unit dead from the start is still dead then.
 */
const RECYCLE_CHECK_EPOCHS = 6;
/** Seeds the short runs may pick from: the first whose network starts with 3 dead units or more (measured: one or two of them revive in 2 epochs without recycling at some seeds) is used for the recycling checks. */
const SEED_CANDIDATES = byVariant('seed candidates', linspaceInts(1, 30), (random) => Array.from({ length: 30 }, () => integerIn(random, 1, 1_000_000)));
/** Task 6: same recipe on 21 points and 10,000 samples of [-10, 10], for this many epochs. */
const FEW_MANY_EPOCHS = 12;
const FEW_MANY_SEED = byVariant('few-many seed', 1, (random) => integerIn(random, 1, 1_000_000));
const FINE_GRID = linspace(-10, 10, 2001);
/**
 * Measured: the 21 points' network is 58-149 times worse on the fine grid than the
 * 10,000 samples' (12 epochs each); a network trained on the 21 points twice measures
 * 1. 10 leaves a factor 5.8 below and 10 above.
 */
const FEW_MANY_MIN_RATIO = 10;
const FEW_MANY_RATIO_MEASURED: Measured = { range: [58, 149], over: CALIBRATED };
/** Measured 0.16-0.39 for the 10,000 samples' network on the fine grid after 12 epochs; 3 leaves a factor 7. */
const MAX_MANY_RMSE = 3;
const MANY_RMSE_MEASURED: Measured = { range: [0.16, 0.39], over: CALIBRATED };
/**
 * Plot tolerance (see "The plot" in the kata README), measured with
 * plotDiffRatio() of test/calibration/03-deep-relu.ts: every valid recipe and
 * seed differs from the baseline by 0.000% of the pixels (data seeds 42 and 43); the reference cut
 * short is off by 1.23% after 3 epochs (RMSE 90), 0.30% after 6 (RMSE 39),
 * 0.07% after 10 (RMSE 18). 0.1% fails the RMSE-39 curve by 3 times the
 * threshold; closer curves are told apart by the RMSE test, not the picture.
 */
const PLOT_TOLERANCE = { failureThreshold: 0.001 };

function linspaceInts(low: number, high: number): number[] {
  return Array.from({ length: high - low + 1 }, (_, i) => low + i);
}

const split = once(async () => splitValidation(generateSquares(10_000, { seed: DATA_SEED }), 0.2));
const trainX = once(async () => Array.from((await split()).train.x.dataSync()));
/**
 * The short runs that check the options train on the first quarter of each part: what they check
 * (seeding, recycling, units) does not depend on how many rows there are, and they cost a quarter.
 */
const OPTION_RUN_ROWS = { train: 2000, validation: 500 };
const optionSplit = once(async () => {
  const { train, validation } = await split();
  const rows = (t: Tensor2D, n: number) => t.slice([0, 0], [n, 1]);
  return {
    train: { x: rows(train.x, OPTION_RUN_ROWS.train), y: rows(train.y, OPTION_RUN_ROWS.train) },
    validation: { x: rows(validation.x, OPTION_RUN_ROWS.validation), y: rows(validation.y, OPTION_RUN_ROWS.validation) },
  };
});
const optionTrainX = once(async () => Array.from((await optionSplit()).train.x.dataSync()));
/** The onEpochEnd calls of the main run, looked at only after it returned (README of test/). */
const epochCalls: { epoch: number; loss: number | undefined; val_loss: number | undefined }[] = [];
let mainRunStarted = false;
const ANIMATION = { title: 'Kata 03: a ReLU network learning x²', xRange: [-50, 50] as [number, number], yRange: [-100, 2600] as [number, number], truth: (x: number) => x * x };
const trained = once(async () =>
  (mainRunStarted = true) &&
  withTimeLimit(
    async () => watchTraining('03-deep-relu', { ...ANIMATION, data: { xs: (await split()).train.x.dataSync(), ys: (await split()).train.y.dataSync() } }, async () =>
      trainReluNetwork(await split(), { onEpochEnd: (epoch, logs) => epochCalls.push({ epoch, loss: logs.loss, val_loss: logs.val_loss }) }),
    ),
    TRAINING_SECONDS,
    `kata 03, task 2: trainReluNetwork() with EPOCHS = ${EPOCHS} (time limit ${TRAINING_SECONDS} s)`,
  ),
);
const seedHint = `This run trains with your SEED on data seed ${DATA_SEED}. If it passes with one seed and fails with another, your recipe depends on luck: call trainReluNetwork(split, { seed }) for a few seeds and look at sqrt(validationLosses.at(-1)) · scaler.yScale, and change the recipe, not the seed.`;

afterAll(async () => {
  // Only when a test started it: a run filtered with -t need not train.
  const result = mainRunStarted ? await trained().catch(() => undefined) : undefined;
  if (result) disposeModel(result.model);
});

/** A network's layers as "Class units activation", to tell whether two networks are built alike. */
function architecture(model: LayersModel): string {
  return model.layers
    .map((layer) => {
      const config = layer.getConfig() as { units?: unknown; activation?: unknown };
      return [layer.getClassName(), config.units, config.activation].filter((part) => part !== undefined).join(' ');
    })
    .join(', ');
}

/** Scaled inputs x in [-1, 1], the range the hand-made networks are built for. */
const UNIT_GRID = linspace(-1, 1, 201);

/**
 * A network with hand-set weights and a known number of dead units per layer.
 * Variant 0: the README's 4-4 network, [2, 1] dead. Other variants: a 6-6
 * network with 1-3 units of layer 1 made dead on [-1, 1] (bias below -|w|) and
 * random layer-2 weights; the expected count comes from deadUnitCounts().
 */
async function networkWithDeadUnits(): Promise<LayersModel> {
  const weights = byVariant(
    'dead network',
    [
      [[[1, -1, 1, 0]], [0, -2, 0.5, -1]],
      [
        [
          [-1, 1, 0.5, 0],
          [-1, 1, 0.5, 0],
          [-1, 1, 0.5, 1],
          [-1, 1, 0.5, 0],
        ],
        [-0.1, 0, 0, 0.1],
      ],
    ],
    randomDeadNetworkWeights,
  ) as DeadNetworkWeights;
  const units = weights[0][1].length;
  const model = await buildReluNetwork({ units, seed: 1 });
  // The output layer too: then two such networks are equal whatever buildReluNetwork()'s seeding, and task 5's seed check sees recycling only.
  const output: [number[][], number[]] = [Array.from({ length: units }, (_, u) => [u % 2 === 0 ? 1 : -0.5]), [0.25]];
  const tensors = [...weights, output].map(([kernel, bias]) => [tf.tensor2d(kernel), tf.tensor1d(bias)]);
  tensors.forEach((layerWeights, i) => model.layers[i]?.setWeights(layerWeights));
  tf.dispose(tensors.flat());
  return model;
}

/** The dead units of a network on inputs xs, as "layer 2 unit 7". */
const deadUnitNames = (model: LayersModel, xs: number[]) => deadUnits(model, xs).flatMap((units, l) => units.map((unit) => `layer ${l + 1} unit ${unit}`));
const sameNumber = (a: number | undefined, b: number | undefined) => a !== undefined && b !== undefined && Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a));
const weightsOf = (model: LayersModel) => model.getWeights().map((w) => Array.from(w.dataSync()));
const scaledTrainX = async (scaler: MinMaxScaler) => (await trainX()).map((x) => (x - scaler.xOffset) / scaler.xScale);

/** Task 6's 21 integer points -10..10. */
const POINTS_21 = linspaceInts(-10, 10);
const pointsDataset = () => ({ x: tf.tensor2d(POINTS_21, [21, 1]), y: tf.tensor2d(POINTS_21.map((x) => x * x), [21, 1]) });
/** The x of task 6's many examples for a seed, drawn by your kata 02 as the README says (a candidate for what a network trained on). */
async function manyExamplesXs(seed: number): Promise<number[]> {
  const data = await generateSquares(10_000, { seed, low: -10, high: 10 });
  const xs = Array.from(data.x.dataSync());
  tf.dispose([data.x, data.y]);
  return xs;
}
/** Two runs of the same recipe from the same seed agree to float32 rounding; another seed or recipe is off by far more. */
const REPLAY_RELATIVE = 1e-3;
const sameRmse = (reported: number, measured: number) => Math.abs(reported - measured) <= SAME_LOSS_RELATIVE * measured + 1e-6;

/**
 * Why a reported RMSE is not the one measured on the fine grid, naming a cause only when it
 * reproduces the number; otherwise the candidates, as possibilities.
 */
function rmseMismatchCause(reported: number, measured: number, yScale: number, onTrainingPoints: number): string {
  if (sameRmse(reported * yScale, measured)) return `: it is that RMSE in scaled units (times scaler.yScale = ${yScale} it is ${(reported * yScale).toFixed(4)}). Multiply by the scaler's yScale.`;
  if (sameRmse(Math.sqrt(Math.abs(reported)) * yScale, measured)) return ": it is the grid's mean squared error in scaled units (the last val_loss). Take its square root and multiply by scaler.yScale.";
  if (sameRmse(Math.sqrt(Math.abs(reported)), measured)) return ': it is the mean squared error. Take its square root.';
  if (sameRmse(reported, onTrainingPoints)) return `: it is the RMSE on its own training points (${onTrainingPoints.toFixed(4)}). Measure on the fine grid.`;
  return '. Possible causes: another set of points than the 2,001 x from -10 to 10, scaled units, an MSE instead of an RMSE, or another network than the one returned.';
}

/** Checks that task 6's two arms are one recipe: the epochs asked for on both, and (given buildReluNetwork()'s layers) the same network. */
function checkArms(call: string, epochs: number, result: { few: { losses: number[]; model: LayersModel; scaler: MinMaxScaler }; many: { losses: number[]; model: LayersModel; scaler: MinMaxScaler } }) {
  const [fewEpochs, manyEpochs] = [result.few.losses.length, result.many.losses.length];
  const [fewShape, manyShape] = [architecture(result.few.model), architecture(result.many.model)];
  const [fewScaler, manyScaler] = [result.few.scaler, result.many.scaler];
  const oneNetwork = result.few.model === result.many.model || JSON.stringify(weightsOf(result.few.model)) === JSON.stringify(weightsOf(result.many.model));
  return {
    check(task1Shape?: string): void {
      check(!oneNetwork, () =>
        `${call} returned one and the same network for both arms (the same weights): train a fresh network for each, as trainReluNetwork does on each call.`);
      check(fewEpochs === epochs && manyEpochs === epochs, () =>
        fewEpochs === manyEpochs
          ? `${call} trained ${fewEpochs} epochs on both arms, not the ${epochs} asked for: pass options.epochs on to trainReluNetwork.`
          : `${call} trained ${fewEpochs} epochs on the few and ${manyEpochs} on the many examples: the comparison needs the same recipe for both, options.epochs (${epochs}) each.`,
      );
      check(fewShape === manyShape && (task1Shape === undefined || fewShape === task1Shape), () =>
        `The two arms must be the same network, buildReluNetwork()'s: the few-examples one is [${fewShape}], the many-examples one [${manyShape}]` +
        (task1Shape === undefined ? '. ' : `, buildReluNetwork() gives [${task1Shape}]. `) +
        'Only the data may differ, or the comparison measures the networks, not the examples.',
      );
      const pointsScaler = minMaxScalerOf(POINTS_21, POINTS_21.map((x) => x * x));
      const fittedOnPoints = (scaler: MinMaxScaler) => (['xOffset', 'xScale', 'yOffset', 'yScale'] as const).every((key) => Math.abs(scaler[key] - pointsScaler[key]) < 1e-9);
      check(fittedOnPoints(fewScaler), () =>
        `The few-examples network's scaler is ${JSON.stringify(fewScaler)}, not the one fitted on the 21 integer points -10..10 (${JSON.stringify(pointsScaler)}). ` +
          'Possible causes: that arm was not trained on those 21 points; or trainReluNetwork() fits its scaler on another part than split.train.',
      );
      check(!fittedOnPoints(manyScaler), () =>
        `The many-examples network's scaler is the one fitted on the 21 integer points (${JSON.stringify(manyScaler)}), not one fitted on 10,000 random x of [-10, 10]. ` +
          'Possible causes: that arm was trained on the 21 points; or trainReluNetwork() fits its scaler on another part than split.train (task 6 validates both arms on a grid of the same range as the 21 points).',
      );
      // The scaler maps the training x onto [-1, 1] (kata 02): it shows the range they were drawn from.
      const [low, high] = [manyScaler.xOffset - manyScaler.xScale, manyScaler.xOffset + manyScaler.xScale];
      check(low >= -10 - 1e-6 && high <= 10 + 1e-6 && high - low >= 19, () =>
        `The many-examples network's scaler spans x from ${low.toFixed(2)} to ${high.toFixed(2)}: draw its 10,000 x from [-10, 10], the range of the 21 points (generateSquares(10000, { seed, low: -10, high: 10 })).`,
      );
    },
  };
}

describe('kata 03: a deep ReLU network approximates x² inside its training range', () => {
  test('task 1: buildReluNetwork() is Dense(relu) → Dense(relu) → Dense(1), seeded, compiled with MSE', async () => {
    const model = await buildReluNetwork({ seed: 3 });
    const models = [model];
    try {
      check(model.layers.length === 3, () => `The network has ${model.layers.length} layers; the answer's has two hidden Dense layers and one output.`);
      const activations = model.layers.map((layer) => (layer.getConfig().activation as string | undefined) ?? '?');
      check(activations.join() === 'relu,relu,linear', () => `The activations are ${activations.join(', ')}; want relu, relu, linear.`);
      const units = model.layers.map((layer) => layer.getConfig().units as number);
      check((units[0] ?? 0) >= 8 && units[0] === units[1] && units[2] === 1, () => `Units per layer: ${units.join('-')}; want n-n-1 with n ≥ 8.`);
      expect(model.inputs[0]?.shape).toEqual([null, 1]);
      check(isMeanSquaredError(model.loss), () => `The loss is ${describeLoss(model.loss)}; use the mean squared error.`);
      const narrow = await buildReluNetwork({ units: 5, seed: 3 });
      models.push(narrow);
      const narrowUnits = narrow.layers.map((layer) => layer.getConfig().units as number).join('-');
      check(narrowUnits === '5-5-1', () => `buildReluNetwork({ units: 5 }) has ${narrowUnits} units; options.units sets the width of both hidden layers.`);
      const again = await buildReluNetwork({ seed: 3 });
      const other = await buildReluNetwork({ seed: 4 });
      models.push(again, other);
      check(JSON.stringify(weightsOf(again)) === JSON.stringify(weightsOf(model)), () => 'Two networks built with seed 3 have different weights: seed every kernel initialiser from options.seed.');
      check(JSON.stringify(weightsOf(other)) !== JSON.stringify(weightsOf(model)), () => 'Networks built with seeds 3 and 4 have the same weights: the initialisers must take their seed from options.seed.');
    } finally {
      models.forEach(disposeModel);
    }
  });

  test('task 2: the scaler returned is fitted on the training part only', async () => {
    const { scaler } = await trained();
    const data = await split();
    const expected = await fitScaler(data.train);
    const all = minMaxScalerOf([...(await trainX()), ...Array.from(data.validation.x.dataSync())], [...Array.from(data.train.y.dataSync()), ...Array.from(data.validation.y.dataSync())]);
    (['xOffset', 'xScale', 'yOffset', 'yScale'] as const).forEach((key) => {
      const fittedOnAll = Math.abs(scaler[key] - all[key]) <= 1e-9 * Math.max(1, Math.abs(all[key])) && all[key] !== expected[key];
      check(Math.abs(scaler[key] - expected[key]) <= 1e-9 * Math.max(1, Math.abs(expected[key])), () =>
        `scaler.${key} is ${scaler[key]}, but fitScaler(split.train) gives ${expected[key]}` +
        (fittedOnAll ? ': it was fitted on training and validation data together. Fit it on split.train only; the validation part stands for data never seen.' : ': return the scaler fitted on split.train, the one the network was trained with.'),
      );
    });
  });

  test('task 2: one loss and one validation loss per epoch, passed to onEpochEnd too', async () => {
    const { losses, validationLosses } = await trained();
    check(losses.length === EPOCHS && validationLosses.length === EPOCHS, () =>
      `EPOCHS is ${EPOCHS} but trainReluNetwork() returned ${losses.length} losses and ${validationLosses.length} validation losses: return model.fit's history (history.history.loss, val_loss).`,
    );
    const epochs = epochCalls.map((call) => call.epoch);
    check(epochs.join() === linspaceInts(0, EPOCHS - 1).join(), () => `options.onEpochEnd was called for epochs [${epochs.slice(0, 8).join(', ')}${epochs.length > 8 ? ', ...' : ''}] (${epochs.length} calls); want one call per epoch, 0 to ${EPOCHS - 1}.`);
    epochCalls.forEach((call, i) =>
      check(sameNumber(call.loss, losses[i]) && sameNumber(call.val_loss, validationLosses[i]), () =>
        `At epoch ${i}, onEpochEnd got loss ${call.loss} and val_loss ${call.val_loss}, but the returned losses say ${losses[i]} and ${validationLosses[i]}: pass tfjs' logs on unchanged.`,
      ),
    );
  });

  test(`task 2: trained on scaled data, the returned network's validation RMSE in original units is at most ${MAX_VALIDATION_RMSE}`, async () => {
    const { model, scaler, validationLosses } = await trained();
    const data = await split();
    const validationX = Array.from(data.validation.x.dataSync());
    const measured = rmse(predictThrough(model, scaler, validationX), validationX);
    const reported = Math.sqrt(validationLosses.at(-1) ?? NaN) * scaler.yScale;
    check(Math.abs(measured - reported) <= SAME_LOSS_RELATIVE * measured + 1e-6, () => {
      // One cause is checked: validation data scaled with a scaler of its own (fitted on split.validation), which val_loss then measures.
      const own = minMaxScalerOf(validationX, Array.from(data.validation.y.dataSync()));
      const ownReported = (rmse(predictThrough(model, own, validationX), validationX) / own.yScale) * scaler.yScale;
      const scaledOnItsOwn = own.xScale !== scaler.xScale && Math.abs(ownReported - reported) <= SAME_LOSS_RELATIVE * reported + 1e-6;
      return (
        `The last validation loss you return gives RMSE ${reported.toFixed(3)} (sqrt(val_loss) · yScale), but the model and scaler you return give ${measured.toFixed(3)} on the validation data. ` +
        (scaledOnItsOwn
          ? `Your val_loss is what the network gives on validation data scaled with a scaler fitted on the validation part itself (checked: ${ownReported.toFixed(3)}): scale split.validation with the scaler fitted on split.train, as unseen data would be.`
          : 'Possible causes: validation data scaled otherwise than the training data; a model or scaler other than the ones trained (or changed after the last epoch: recycling must not change the output); losses other than tfjs\' own val_loss history.')
      );
    });
    // Still improving when training stopped? Read from the returned history: the last tenth of the epochs.
    const tenth = validationLosses[Math.floor(0.9 * (validationLosses.length - 1))] ?? NaN;
    const lastDrop = 1 - (validationLosses.at(-1) ?? NaN) / tenth;
    checkBetween('validation RMSE of the returned network (original units)', measured, [0, MAX_VALIDATION_RMSE], {
      measured: VALIDATION_RMSE_MEASURED,
      tooHigh:
        lastDrop > 0.2
          ? `Every recipe measured reached ${measuredText(VALIDATION_RMSE_MEASURED)}. Your validation loss fell ${(100 * lastDrop).toFixed(0)}% over the last tenth of the ${validationLosses.length} epochs: training stopped while still improving (checked). Train longer, or with a larger learning rate at the start.`
          : `Every recipe measured reached ${measuredText(VALIDATION_RMSE_MEASURED)}. Your validation loss changed ${(100 * lastDrop).toFixed(0)}% over the last tenth of the epochs (it had settled). Possible causes: a learning rate that does not start larger and decay (lib/schedule.ts), too narrow a network, dead units not recycled, or a seed your recipe is unlucky with. ${seedHint}`,
    });
  });

  test('task 2: the trained network is your own: not the shipped reference model', async () => {
    const { model, scaler } = await trained();
    // The shipped network was trained on data seed 42 (at variant 0 an honest run of the reference recipe is it);
    // under any other data seed an honest run cannot reproduce it.
    if (DATA_SEED === SHIPPED_DATA_SEED) return;
    const shipped = await loadModel(referenceModelDir('03-deep-relu'));
    try {
      const grid = linspace(-50, 50, 201);
      const theirs = predictValues(shipped, grid);
      const ours = predictThrough(model, scaler, grid);
      const largest = Math.max(...grid.map((_, i) => Math.abs((ours[i] ?? NaN) - (theirs[i] ?? NaN))));
      check(!(largest < 1e-2), () =>
        `Your network computes the same function as lib/models/03-deep-relu (largest difference ${largest.toExponential(2)} on [-50, 50]), which was trained on data seed ${SHIPPED_DATA_SEED}; this run's data come from seed ${DATA_SEED}. Train the network in trainReluNetwork(); do not load the reference.`,
      );
    } finally {
      shipped.dispose();
    }
  });

  test('task 2: the seed and recycle options: same seed, same network; another seed, another; recycle: false keeps dead units; recycling happens during training', async () => {
    const data = await optionSplit();
    const short = (options: { seed: number; recycle?: boolean; epochs: number }) =>
      withTimeLimit(() => trainReluNetwork(data, options), TRAINING_SECONDS, `trainReluNetwork(split, { epochs: ${options.epochs} }) (time limit ${TRAINING_SECONDS} s)`);
    const xs = await optionTrainX();
    const scaledXs = (scaler: MinMaxScaler) => xs.map((x) => (x - scaler.xOffset) / scaler.xScale);
    // A seed whose network starts with dead units on the training inputs (scaled), so that recycling has work to do.
    const scaled = scaledXs(minMaxScalerOf(xs, [0, 1]));
    let seed = SEED_CANDIDATES[0] as number;
    let deadAtStart: string[] = [];
    let startOutputBias: number | undefined;
    for (const candidate of SEED_CANDIDATES) {
      const model = await buildReluNetwork({ seed: candidate });
      deadAtStart = deadUnitNames(model, scaled);
      startOutputBias = weightsOf(model).at(-1)?.[0];
      disposeModel(model);
      seed = candidate;
      if (deadAtStart.length >= 3) break;
    }
    const runs: { weights: number[][]; losses: number[]; recycled: number; dead: string[] }[] = [];
    const record = async (options: { seed: number; recycle?: boolean; epochs?: number }) => {
      const run = await short({ ...options, epochs: options.epochs ?? SHORT_EPOCHS });
      const dead = deadUnitNames(run.model, scaledXs(run.scaler));
      const result = { weights: weightsOf(run.model), losses: run.losses, recycled: run.recycled, dead };
      runs.push(result);
      disposeModel(run.model);
      return result;
    };
    await expectNoTensorLeak(
      `trainReluNetwork(split, { seed: ${seed}, epochs: ${SHORT_EPOCHS} }) followed by disposing the model (this counts the kata 02 functions it calls, fitScaler and scaleDataset, too)`,
      () => record({ seed }),
    );
    const [first, second] = runs as [(typeof runs)[0], (typeof runs)[0]];
    check(first.losses.length === SHORT_EPOCHS, () => `trainReluNetwork(split, { epochs: ${SHORT_EPOCHS} }) returned ${first.losses.length} losses: options.epochs sets the number of epochs.`);
    check(JSON.stringify(first.weights) === JSON.stringify(second.weights) && JSON.stringify(first.losses) === JSON.stringify(second.losses), () =>
      `Two runs with seed ${seed} gave different networks: seed the initialisers (buildReluNetwork(options)) and the shuffling (withSeededShuffling(seed, ...)), and recycle with seeds derived from options.seed.`,
    );
    const other = await record({ seed: seed + 1 });
    check(JSON.stringify(other.weights) !== JSON.stringify(first.weights), () => `Seeds ${seed} and ${seed + 1} gave the same network: trainReluNetwork() must train from options.seed, not a fixed seed or saved weights.`);
    // Does task 5's recycleDeadUnits() revive the start network's dead units? Checked without training, so that a failure below can name it.
    const recyclingRevives = async (): Promise<boolean | undefined> => {
      const model = await buildReluNetwork({ seed });
      const x = tf.tensor2d(scaled, [scaled.length, 1]);
      try {
        await recycleDeadUnits(model, x, seed);
        return deadUnitNames(model, scaled).length < deadAtStart.length;
      } catch {
        return undefined;
      } finally {
        x.dispose();
        disposeModel(model);
      }
    };
    const notReviving = `recycleDeadUnits() on buildReluNetwork({ seed: ${seed} }) (${deadAtStart.length} dead units on the training inputs) left them dead (checked): fix task 5's function first (its own test says more).`;
    if (first.dead.length > 0) {
      const revives = await recyclingRevives();
      check(false, () =>
        revives === false
          ? `With recycling on, the network returned by a ${SHORT_EPOCHS}-epoch run has ${first.dead.length} dead unit${first.dead.length === 1 ? '' : 's'}. ${notReviving}`
          : `With recycling on, the network returned by a ${SHORT_EPOCHS}-epoch run has ${first.dead.length} dead unit${first.dead.length === 1 ? '' : 's'}, though recycleDeadUnits() revives the start network's dead units (checked): recycle once more after the last epoch (the output does not change), so that no unit is returned dead.`,
      );
    }
    // Recycling during training, not only after it: the same seed, RECYCLE_CHECK_EPOCHS epochs, without and with recycling.
    const kept = await record({ seed, recycle: false, epochs: RECYCLE_CHECK_EPOCHS });
    check(kept.recycled === 0, () => `With recycle: false, trainReluNetwork() reported ${kept.recycled} recycled units; it must recycle none.`);
    check(kept.dead.length >= 1, () =>
      `buildReluNetwork({ seed: ${seed} }) starts with ${deadAtStart.length} dead units on the training inputs (${deadAtStart.join(', ')}); trained ${RECYCLE_CHECK_EPOCHS} epochs with recycle: false, the network returned has none. Dead units get no gradient: recycle: false must turn recycling off.`,
    );
    check(first.recycled >= 1, () =>
      `With recycling on, a ${SHORT_EPOCHS}-epoch run of seed ${seed} reported recycled = ${first.recycled}, although with recycle: false ${kept.dead.length} units end dead: report how many units recycleDeadUnits() revived during training.`,
    );
    const recycling = await record({ seed, epochs: RECYCLE_CHECK_EPOCHS });
    // Units dead from the start and still dead after training without recycling were dead at every periodic pass:
    // a run that recycles during training revives them there and trains on from a different network.
    const deadThroughout = kept.dead.filter((unit) => deadAtStart.includes(unit));
    const outputBias = (run: (typeof runs)[0]) => run.weights.at(-1)?.[0];
    // The output bias sums up the run: recycling before the last epoch changes what it trains on. A bias that never
    // moved (an output unit that got no gradient) says nothing either way: the thresholds judge that network.
    const outputTrained = startOutputBias !== undefined && !sameNumber(outputBias(kept), startOutputBias);
    if (deadThroughout.length > 0 && outputTrained && sameNumber(outputBias(recycling), outputBias(kept))) {
      const revives = await recyclingRevives();
      check(false, () =>
        `With recycling on, trainReluNetwork(split, { seed: ${seed}, epochs: ${RECYCLE_CHECK_EPOCHS} }) (the first ${OPTION_RUN_ROWS.train} training rows) trained exactly like the recycle: false run until its last epoch ` +
        `(the same output bias, ${outputBias(kept)}), though the units dead from the start and still dead after ${RECYCLE_CHECK_EPOCHS} epochs without recycling (${deadThroughout.join(', ')}) were dead at every pass. ` +
        (revives === false
          ? notReviving
          : `recycleDeadUnits() revives them when called (checked): no pass ran before the last epoch. Recycle every few epochs in a callback during fit (a ${RECYCLE_CHECK_EPOCHS}-epoch run needs a pass before its last epoch), and once more after the last epoch.`),
      );
    }
  });

  test('task 2: options.units sets the width of the network trainReluNetwork() trains', async () => {
    const data = await optionSplit();
    const run = await withTimeLimit(() => trainReluNetwork(data, { seed: 3, epochs: 1, units: 5 }), TRAINING_SECONDS, `trainReluNetwork(split, { units: 5, epochs: 1 }) (time limit ${TRAINING_SECONDS} s)`);
    const shape = architecture(run.model);
    disposeModel(run.model);
    check(shape === 'Dense 5 relu, Dense 5 relu, Dense 1 linear', () =>
      `trainReluNetwork(split, { units: 5, epochs: 1 }) trained [${shape}]; options.units sets the width of both hidden layers: build with buildReluNetwork(options).`);
  });

  test(`task 3: predictOriginal() is what the returned model and scaler compute, within ${PROBE_TOLERANCE} of x² at six probes`, async () => {
    const result = await trained();
    const xs = [...PROBES, ...linspace(-50, 50, 21)];
    const theirs = await predictOriginal(result, xs);
    const kinds = Array.isArray(theirs) ? [...new Set((theirs as unknown[]).map((y) => (Array.isArray(y) ? 'array' : typeof y)))] : [];
    check(Array.isArray(theirs) && theirs.length === xs.length && kinds.join() === 'number', () =>
      Array.isArray(theirs)
        ? `predictOriginal(trained, xs) for ${xs.length} xs returned ${theirs.length} elements of kind ${kinds.join(', ')}: return one plain number per x (number[]; arraySync() of an [n, 1] tensor gives arrays of one number: flatten them, or use dataSync()).`
        : `predictOriginal(trained, xs) returned ${typeof theirs}, not an array: return one plain number per x (number[]).`,
    );
    const ours = predictThrough(result.model, result.scaler, xs);
    const worst = xs.map((x, i) => ({ x, i, gap: Math.abs((theirs[i] ?? NaN) - (ours[i] ?? NaN)) })).reduce((a, b) => (b.gap > a.gap || Number.isNaN(b.gap) ? b : a));
    if (!(worst.gap <= SAME_PREDICTION(ours[worst.i] ?? 0))) {
      // Name only a cause that reproduces the learner's numbers.
      const scaledX = xs.map((x) => (x - result.scaler.xOffset) / result.scaler.xScale);
      const notUnscaled = rawOutputs(result.model, scaledX);
      const notScaled = rawOutputs(result.model, xs).map((y) => y * result.scaler.yScale + result.scaler.yOffset);
      const matches = (candidate: number[]) => candidate.every((y, i) => Math.abs(y - (theirs[i] ?? NaN)) <= SAME_PREDICTION(y));
      const cause = matches(notUnscaled)
        ? ' These are the network\'s scaled outputs: unscale them with unscaleY.'
        : matches(notScaled)
          ? ' These are the network\'s outputs for unscaled inputs: scale xs with scaleX first.'
          : matches(xs.map((x) => x * x))
            ? ' These are exactly x², not the network\'s predictions.'
            : '';
      check(false, () =>
        `predictOriginal(trained, [${worst.x}]) gave ${theirs[worst.i]}, but unscaleY(model.predict(scaleX(x))) with the model and scaler returned by trainReluNetwork() gives ${ours[worst.i]}.${cause}`,
      );
    }
    const probes = worstError(ours.slice(0, PROBES.length), PROBES);
    checkBetween(`largest error at the probes (${PROBES.join(', ')})`, probes.error, [0, PROBE_TOLERANCE], {
      measured: PROBE_ERROR_MEASURED,
      tooHigh: `predictOriginal() computes what your network and scaler give; the network itself is off by ${probes.error.toFixed(1)} at x = ${probes.x}. ${seedHint}`,
    });
  });

  test('task 3: predictOriginal() scales in and out with the scaler it is given, and refuses bad input', async () => {
    // A hand-set network, y = 2u + 1 on scaled u, and a scaler of four different numbers: the answer is known in closed form.
    const model = handBuiltModel(1, [{ kernel: [[2]], bias: [1] }]);
    const scaler = { xOffset: 10, xScale: 5, yOffset: 100, yScale: 50 };
    try {
      const xs = [20, -5];
      const want = xs.map((x) => (2 * ((x - scaler.xOffset) / scaler.xScale) + 1) * scaler.yScale + scaler.yOffset);
      const got = await predictOriginal({ model, scaler }, xs);
      check(got.length === xs.length && got.every((y, i) => Math.abs(y - (want[i] as number)) <= SAME_PREDICTION(want[i] as number)), () =>
        `For the network y = 2u + 1 (on scaled numbers) and the scaler ${JSON.stringify(scaler)}, predictOriginal(trained, [${xs.join(', ')}]) gave [${got.join(', ')}]; ` +
        `unscaleY(model.predict(scaleX(x))) is [${want.join(', ')}].`);
      await expectInputError('predictOriginal(trained, [1, NaN])', () => predictOriginal({ model, scaler }, [1, NaN]), { names: 'xs', shows: ['NaN'] });
    } finally {
      disposeModel(model);
    }
  });

  test('task 4: countDeadUnits() finds the units that output 0 for every input', async () => {
    const model = await networkWithDeadUnits();
    const x = tf.tensor2d(UNIT_GRID, [UNIT_GRID.length, 1]);
    try {
      const expected = deadUnitCounts(model, UNIT_GRID);
      expect(await countDeadUnits(model, x)).toEqual(expected);
      const result = await trained();
      const trainScaled = tf.tensor2d(await scaledTrainX(result.scaler), [(await trainX()).length, 1]);
      const dead = await countDeadUnits(result.model, trainScaled);
      trainScaled.dispose();
      const truth = deadUnitCounts(result.model, await scaledTrainX(result.scaler));
      check(dead.join() === truth.join(), () => `countDeadUnits() says [${dead.join(', ')}] for your trained network; its hidden layers have [${truth.join(', ')}] units that output 0 on every training input.`);
      check(truth.every((count) => count === 0), () => `The trained network has dead units per hidden layer: ${truth.join(', ')}. They output 0 for every training input and never learn again: recycle them (task 5), during training and once more after the last epoch.`);
    } finally {
      x.dispose();
      disposeModel(model);
    }
  });

  test('task 5: recycleDeadUnits() revives dead units without changing the output', async () => {
    const model = await networkWithDeadUnits();
    const x = tf.tensor2d(UNIT_GRID, [UNIT_GRID.length, 1]);
    try {
      const deadBefore = deadUnitCounts(model, UNIT_GRID).reduce((a, b) => a + b, 0);
      const before = rawOutputs(model, UNIT_GRID);
      const recycled = await recycleDeadUnits(model, x, 7);
      check(recycled === deadBefore, () => `recycleDeadUnits() reported ${recycled} units; the network had ${deadBefore} dead.`);
      const deadAfter = deadUnitCounts(model, UNIT_GRID);
      check(deadAfter.every((count) => count === 0), () => `After recycleDeadUnits(), units per layer still dead: ${deadAfter.join(', ')}. Give each a bias that makes it fire on about half of the inputs.`);
      const after = rawOutputs(model, UNIT_GRID);
      after.forEach((y, i) =>
        check(Math.abs(y - (before[i] as number)) < 1e-5, () => `The output at x = ${UNIT_GRID[i]} moved from ${before[i]} to ${y}: zero the revived units' outgoing weights, and leave the living units alone.`),
      );
      // The seed argument: the same seed revives the same way, another seed another way.
      const [again, other] = [await networkWithDeadUnits(), await networkWithDeadUnits()];
      try {
        await recycleDeadUnits(again, x, 7);
        await recycleDeadUnits(other, x, 8);
        const [mine, same, different] = [model, again, other].map((m) => JSON.stringify(weightsOf(m)));
        check(mine === same, () => 'Two copies of the network recycled with seed 7 got different weights: draw the fresh incoming weights from an initialiser seeded with the seed argument.');
        check(mine !== different, () => 'Recycling with seeds 7 and 8 gave the same weights: the seed argument must choose the fresh incoming weights.');
      } finally {
        disposeModel(again);
        disposeModel(other);
      }
    } finally {
      x.dispose();
      disposeModel(model);
    }
  });

  test('tasks 1, 3, 4 and 5 leave no tensor behind', async () => {
    const result = await trained();
    const x = tf.tensor2d(UNIT_GRID, [UNIT_GRID.length, 1]);
    try {
      await expectNoTensorLeak('buildReluNetwork() followed by disposing the model', async () => disposeModel(await buildReluNetwork({ seed: 3 })));
      await expectNoTensorLeak('predictOriginal()', async () => predictOriginal(result, PROBES));
      await expectNoTensorLeak('countDeadUnits()', async () => countDeadUnits(result.model, x));
      await expectNoTensorLeak('recycleDeadUnits()', async () => {
        const model = await networkWithDeadUnits();
        await recycleDeadUnits(model, x, 7);
        disposeModel(model);
      });
    } finally {
      x.dispose();
    }
  });

  test(`task 6: the same network learns x² on [-10, 10] better from 10,000 examples than from the 21 integer points (at least ${FEW_MANY_MIN_RATIO} times lower RMSE)`, async () => {
    const before = await liveTensors();
    const call = `trainOnFewAndMany({ seed: ${FEW_MANY_SEED}, epochs: ${FEW_MANY_EPOCHS} })`;
    const result = await withTimeLimit(() => trainOnFewAndMany({ seed: FEW_MANY_SEED, epochs: FEW_MANY_EPOCHS }), TRAINING_SECONDS, `kata 03, task 6: ${call} (time limit ${TRAINING_SECONDS} s)`);
    const fewGrid = rmse(predictThrough(result.few.model, result.few.scaler, FINE_GRID), FINE_GRID);
    const manyGrid = rmse(predictThrough(result.many.model, result.many.scaler, FINE_GRID), FINE_GRID);
    // What each network measures on its own training points: a candidate cause when a reported RMSE is off.
    const manyXs = await manyExamplesXs(FEW_MANY_SEED);
    const onTrainingPoints = {
      few: rmse(predictThrough(result.few.model, result.few.scaler, POINTS_21), POINTS_21),
      many: rmse(predictThrough(result.many.model, result.many.scaler, manyXs), manyXs),
    };
    const arms = checkArms(call, FEW_MANY_EPOCHS, result);
    new Set([result.few.model, result.many.model]).forEach(disposeModel);
    const task1 = await buildReluNetwork({ seed: FEW_MANY_SEED });
    const task1Shape = architecture(task1);
    disposeModel(task1);
    const leaked = (await liveTensors()) - before;
    arms.check(task1Shape);
    for (const [name, reported, measured, scaler] of [['few', result.fewRmse, fewGrid, result.few.scaler], ['many', result.manyRmse, manyGrid, result.many.scaler]] as const) {
      check(sameRmse(reported, measured), () =>
        `${name}Rmse is ${reported}, but the ${name}-examples network you return measures ${measured.toFixed(4)} on the fine grid of [-10, 10] (2,001 points, step 0.01)` +
        rmseMismatchCause(reported, measured, scaler.yScale, onTrainingPoints[name]),
      );
    }
    checkBetween('fine-grid RMSE of the 10,000-example network', manyGrid, [0, MAX_MANY_RMSE], {
      measured: MANY_RMSE_MEASURED,
      tooHigh: `Trained ${FEW_MANY_EPOCHS} epochs on 10,000 random x of [-10, 10] (generateSquares(10000, { seed, low: -10, high: 10 })) with your task 2 recipe, every recipe measured reached RMSE ${measuredText(MANY_RMSE_MEASURED)} on the grid.`,
    });
    checkBetween('RMSE ratio few / many examples', fewGrid / manyGrid, [FEW_MANY_MIN_RATIO, Infinity], {
      measured: FEW_MANY_RATIO_MEASURED,
      tooLow:
        `The 21 points' network measures ${fewGrid.toFixed(2)} and the 10,000 samples' ${manyGrid.toFixed(2)} on the fine grid. Both arms were checked to be the same network, ` +
        `trained ${FEW_MANY_EPOCHS} epochs each on the right data; with the recipes measured the many examples gave a ${measuredText(FEW_MANY_RATIO_MEASURED)} times lower error. ` +
        'Your task 2 recipe learns much more from 21 points per epoch than they do: compare its learning rate and schedule with the README\'s.',
    });
    check(leaked === 0, () => `trainOnFewAndMany() followed by disposing both models left ${leaked} tensors behind. Possible causes: the datasets trainOnFewAndMany() makes (the 21 points, the 10,000 examples, the grid) not disposed; tensors trainReluNetwork() leaves on each call (task 2's seed test counts those on its own).`);
  });

  test('task 6: trainOnFewAndMany() trains both arms with trainReluNetwork(), options.seed and options.epochs', async () => {
    // Short runs with seeds that are neither your SEED nor the one above: a seed or epochs ignored shows here.
    const [seed, otherSeed] = [1, 2, 3, 4].map((k) => FEW_MANY_SEED + k).filter((candidate) => candidate !== Number(SEED)) as [number, number];
    const run = async (runSeed: number, epochs: number) => {
      const call = `trainOnFewAndMany({ seed: ${runSeed}, epochs: ${epochs} })`;
      const result = await withTimeLimit(() => trainOnFewAndMany({ seed: runSeed, epochs }), TRAINING_SECONDS, `kata 03, task 6: ${call} (time limit ${TRAINING_SECONDS} s)`);
      const arms = checkArms(call, epochs, result);
      const facts = { call, fewWeights: weightsOf(result.few.model), manyScaler: result.many.scaler };
      new Set([result.few.model, result.many.model]).forEach(disposeModel);
      arms.check();
      return facts;
    };
    const first = await run(seed, 1);
    const second = await run(otherSeed, 1);
    // The few arm is trainReluNetwork on the 21 points with this seed and these epochs (the validation part does not change the training).
    const points = pointsDataset();
    const replay = async (replaySeed: number) => {
      const trained = await withTimeLimit(
        () => trainReluNetwork({ train: points, validation: points }, { seed: replaySeed, epochs: 1 }),
        TRAINING_SECONDS,
        `kata 03, task 6: trainReluNetwork(the 21 points, { seed: ${replaySeed}, epochs: 1 })`,
      );
      const weights = weightsOf(trained.model);
      disposeModel(trained.model);
      return weights;
    };
    const largestGap = (a: number[][], b: number[][]) => Math.max(...a.flatMap((w, i) => w.map((v, j) => Math.abs(v - (b[i]?.[j] ?? NaN)) / Math.max(1, Math.abs(v)))));
    try {
      const gap = largestGap(first.fewWeights, await replay(seed));
      if (!(gap <= REPLAY_RELATIVE)) {
        const withOwnSeed = largestGap(first.fewWeights, await replay(Number(SEED))) <= REPLAY_RELATIVE;
        check(false, () =>
          `The few-examples network of ${first.call} is not the one trainReluNetwork({ train: the 21 points, validation: ... }, { seed: ${seed}, epochs: 1 }) trains (weights differ by up to ${gap.toExponential(2)} relative). ` +
          (withOwnSeed ? `It is the one trained with your SEED (${String(SEED)}): pass options.seed on to trainReluNetwork.` : 'Train each arm with trainReluNetwork(split, { seed: options.seed, epochs: options.epochs }).'),
        );
      }
    } finally {
      tf.dispose([points.x, points.y]);
    }
    // The many examples are drawn from options.seed: two seeds, two samples, two scalers.
    check(JSON.stringify(first.manyScaler) !== JSON.stringify(second.manyScaler), () =>
      `${first.call} and ${second.call} trained their many-examples networks on the same data (the same scaler, ${JSON.stringify(first.manyScaler)}): ` +
      'draw the 10,000 x with options.seed (generateSquares(10000, { seed, low: -10, high: 10 })).',
    );
  });

  test("plot: the answer's two panels, drawn from the returned network and scaler: predictions on new data in [-50, 50], and the original data", async () => {
    const result = await trained();
    const fresh = await generateSquares(1000, { seed: 2024 });
    const freshX = Array.from(fresh.x.dataSync());
    tf.dispose([fresh.x, fresh.y]);
    const everyFourth = (await trainX()).filter((_, i) => i % 4 === 0);
    const png = await renderPanels(reluPanels(freshX, predictThrough(result.model, result.scaler, freshX), everyFourth));
    expect(png).toMatchPlotBaseline('03-deep-relu', PLOT_TOLERANCE);
  });
});

testCompiles(__filename);
