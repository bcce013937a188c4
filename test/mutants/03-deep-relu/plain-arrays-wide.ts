/**
 * Valid alternative to the kata 03 reference: 32 units per hidden layer, 40
 * epochs, a cosine learning-rate schedule written inline, dead units found and
 * recycled with plain-number arithmetic (arraySync) and a seeded generator,
 * recycling every 4 epochs until 80% of the run and once more at the end.
 */
import type { LayersModel, Sequential, Tensor2D } from '@tensorflow/tfjs';
import { seededRandom } from '../../lib/random';
import { tf, withSeededShuffling } from '../../lib/tf';
import { assertFiniteNumbers } from '../../lib/validate';
import { fitScaler, generateSquares, scaleDataset, type Scaler, type Split } from '../02-training-data/training-data';

export const HIDDEN_UNITS = 32;
export const EPOCHS = 40;
export const BATCH_SIZE = 256;
export const LEARNING_RATE = 8e-3;
export const FINAL_LEARNING_RATE = 3e-4;
export const SEED = 2;
const RECYCLE_EVERY = 4;
const RECYCLE_UNTIL = 0.8;

export interface ReluOptions {
  units?: number;
  seed?: number;
  epochs?: number;
  recycle?: boolean;
  onEpochEnd?: (epoch: number, logs: { loss?: number; val_loss?: number }) => void;
}

export interface TrainedRelu {
  model: LayersModel;
  scaler: Scaler;
  losses: number[];
  validationLosses: number[];
  recycled: number;
}

export function buildReluNetwork(options: ReluOptions = {}): Sequential {
  const units = options.units ?? HIDDEN_UNITS;
  const seed = options.seed ?? SEED;
  const model = tf.sequential();
  model.add(tf.layers.dense({ units, activation: 'relu', inputShape: [1], kernelInitializer: tf.initializers.heNormal({ seed: seed * 7 + 1 }) }));
  model.add(tf.layers.dense({ units, activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: seed * 7 + 2 }) }));
  model.add(tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.heNormal({ seed: seed * 7 + 3 }) }));
  model.compile({ optimizer: tf.train.adam(LEARNING_RATE), loss: 'meanSquaredError' });
  return model;
}

/** Plain-number forward pass through the hidden layers: rows of activations per layer. */
function hiddenActivations(model: LayersModel, xs: number[]): number[][][] {
  let rows = xs.map((x) => [x]);
  const layers: number[][][] = [];
  for (const layer of model.layers.slice(0, -1)) {
    const [kernel, bias] = layer.getWeights().map((w) => w.arraySync()) as [number[][], number[]];
    rows = rows.map((row) => bias.map((b, u) => Math.max(0, row.reduce((sum, v, i) => sum + v * (kernel[i]?.[u] ?? 0), b))));
    layers.push(rows);
  }
  return layers;
}

function deadUnits(model: LayersModel, x: Tensor2D): number[][] {
  const xs = Array.from(x.dataSync());
  return hiddenActivations(model, xs).map((rows) => {
    const width = rows[0]?.length ?? 0;
    return Array.from({ length: width }, (_, u) => u).filter((u) => rows.every((row) => (row[u] ?? 0) <= 0));
  });
}

export function countDeadUnits(model: LayersModel, x: Tensor2D): number[] {
  return deadUnits(model, x).map((units) => units.length);
}

export function recycleDeadUnits(model: LayersModel, x: Tensor2D, seed: number): number {
  const random = seededRandom(`recycle:${seed}`);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const xs = Array.from(x.dataSync());
  let total = 0;
  deadUnits(model, x).forEach((units, l) => {
    const layer = model.layers[l];
    const next = model.layers[l + 1];
    if (!layer || !next || units.length === 0) return;
    const [kernel, bias] = layer.getWeights().map((w) => w.arraySync()) as [number[][], number[]];
    const [nextKernel, nextBias] = next.getWeights().map((w) => w.arraySync()) as [number[][], number[]];
    const inputs = l === 0 ? xs.map((v) => [v]) : (hiddenActivations(model, xs)[l - 1] as number[][]);
    const fanIn = kernel.length;
    for (const u of units) {
      kernel.forEach((row) => (row[u] = gaussian() * Math.sqrt(2 / fanIn)));
      const pre = inputs.map((row) => row.reduce((sum, v, i) => sum + v * (kernel[i]?.[u] ?? 0), 0)).sort((a, b) => a - b);
      bias[u] = -(pre[Math.floor(pre.length / 2)] ?? 0);
      (nextKernel[u] as number[]).fill(0);
    }
    const set = (target: typeof layer, k: number[][], b: number[]) => {
      const tensors = [tf.tensor2d(k), tf.tensor1d(b)];
      target.setWeights(tensors);
      tf.dispose(tensors);
    };
    set(layer, kernel, bias);
    set(next, nextKernel, nextBias);
    total += units.length;
  });
  return total;
}

export async function trainReluNetwork(split: Split, options: ReluOptions = {}): Promise<TrainedRelu> {
  const seed = options.seed ?? SEED;
  const epochs = options.epochs ?? EPOCHS;
  const recycle = options.recycle !== false;
  let scaler = {} as Scaler;
  tf.tidy(() => {
    scaler = fitScaler(split.train);
  });
  const train = scaleDataset(split.train, scaler);
  const validation = scaleDataset(split.validation, scaler);
  const model = buildReluNetwork({ ...options, seed });
  const optimizer = model.optimizer as unknown as { learningRate: number };
  let recycled = 0;
  try {
    const history = await withSeededShuffling(`alt:${seed}`, () =>
      model.fit(train.x, train.y, {
        epochs,
        batchSize: BATCH_SIZE,
        shuffle: true,
        validationData: [validation.x, validation.y],
        verbose: 0,
        callbacks: {
          onEpochEnd: async (epoch, logs) => {
            const progress = (epoch + 1) / epochs;
            optimizer.learningRate = FINAL_LEARNING_RATE + 0.5 * (LEARNING_RATE - FINAL_LEARNING_RATE) * (1 + Math.cos(Math.PI * progress));
            if (recycle && (epoch + 1) % RECYCLE_EVERY === 0 && progress < RECYCLE_UNTIL) recycled += recycleDeadUnits(model, train.x, seed * 100 + epoch);
            options.onEpochEnd?.(epoch, { ...(logs ?? {}) });
          },
        },
      }),
    );
    if (recycle) recycled += recycleDeadUnits(model, train.x, seed * 100 + epochs);
    return { model, scaler, losses: history.history.loss as number[], validationLosses: history.history.val_loss as number[], recycled };
  } finally {
    tf.dispose([train.x, train.y, validation.x, validation.y]);
  }
}

export function predictOriginal(trained: Pick<TrainedRelu, 'model' | 'scaler'>, xs: number[]): number[] {
  assertFiniteNumbers('xs', xs);
  const { xOffset, xScale, yOffset, yScale } = trained.scaler;
  const scaled = tf.tensor2d(xs.map((x) => (x - xOffset) / xScale), [xs.length, 1]);
  const output = trained.model.predict(scaled) as Tensor2D;
  const values = Array.from(output.dataSync()).map((y) => y * yScale + yOffset);
  tf.dispose([scaled, output]);
  return values;
}

export const FEW_MANY_EPOCHS = 12;

export interface FewVersusMany {
  few: TrainedRelu;
  many: TrainedRelu;
  fewRmse: number;
  manyRmse: number;
}

export async function trainOnFewAndMany(options: Pick<ReluOptions, 'seed' | 'epochs'> = {}): Promise<FewVersusMany> {
  const seed = options.seed ?? SEED;
  const epochs = options.epochs ?? FEW_MANY_EPOCHS;
  const gridXs = Array.from({ length: 2001 }, (_, i) => -10 + i / 100);
  const points = Array.from({ length: 21 }, (_, i) => i - 10);
  const squares = (xs: number[]) => ({ x: tf.tensor2d(xs, [xs.length, 1]), y: tf.tensor2d(xs.map((v) => v * v), [xs.length, 1]) });
  const grid = squares(gridXs);
  const few = squares(points);
  const many = generateSquares(10_000, { seed: seed + 17, low: -10, high: 10 });
  try {
    const fewRun = await trainReluNetwork({ train: few, validation: grid }, { seed, epochs });
    const manyRun = await trainReluNetwork({ train: many, validation: grid }, { seed, epochs });
    const onGrid = (run: TrainedRelu) => {
      const predictions = predictOriginal(run, gridXs);
      return Math.sqrt(predictions.reduce((sum, p, i) => sum + (p - (gridXs[i] as number) ** 2) ** 2, 0) / gridXs.length);
    };
    return { few: fewRun, many: manyRun, fewRmse: onGrid(fewRun), manyRmse: onGrid(manyRun) };
  } finally {
    tf.dispose([grid.x, grid.y, few.x, few.y, many.x, many.y]);
  }
}
