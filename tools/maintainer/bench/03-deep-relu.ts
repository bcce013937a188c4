/**
 * Kata 03 against the answer's own recipe, in one process: the kata's recipe
 * runs first and sets the wall-clock budget; the answer's recipe (8-8 ReLU,
 * L2 1e-3, Glorot init, Adam 1e-3, batch 256, raw numbers) then gets the same
 * budget, and more (up to a cap) to find how long it needs to reach RMSE 20.
 */
import type { LayersModel, Tensor, Tensor2D } from '@tensorflow/tfjs';
import { fitScaler, generateSquares, splitValidation, type Split } from '../../../solutions/02-training-data/training-data';
import { EPOCHS, FEW_MANY_EPOCHS, HIDDEN_UNITS, SEED, trainOnFewAndMany, trainReluNetwork } from '../../../solutions/03-deep-relu/deep-relu';
import { disposeModel } from '../../../lib/predict';
import { epochProgress } from '../../shared/progress-bar';
import { tf } from '../../../lib/tf';
import { type BenchRow, type KataBench, timed } from './row';

const KATA = '03-deep-relu';
const TARGET_RMSE = 20;
const CAP_SECONDS = 30;
const CAP_SECONDS_FULL = 300;

interface Trace {
  seconds: number[];
  rmse: number[];
}

function firstTimeBelow(trace: Trace, target: number): number {
  const i = trace.rmse.findIndex((r) => r <= target);
  return i < 0 ? NaN : (trace.seconds[i] as number);
}

function rmseAt(trace: Trace, seconds: number): number {
  let last = NaN;
  trace.seconds.forEach((s, i) => {
    if (s <= seconds) last = trace.rmse[i] as number;
  });
  return last;
}

function answerNetwork(): LayersModel {
  const l2 = () => tf.regularizers.l2({ l2: 1e-3 });
  const glorot = (seed: number) => tf.initializers.glorotUniform({ seed }); // Keras' default
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 8, activation: 'relu', inputShape: [1], kernelRegularizer: l2(), kernelInitializer: glorot(1) }),
      tf.layers.dense({ units: 8, activation: 'relu', kernelRegularizer: l2(), kernelInitializer: glorot(2) }),
      tf.layers.dense({ units: 1, kernelInitializer: glorot(3) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  return model;
}

async function trainAnswerRecipe(split: Split, untilSeconds: number, capSeconds: number): Promise<{ trace: Trace; epochs: number }> {
  const model = answerNetwork();
  const trace: Trace = { seconds: [], rmse: [] };
  const start = performance.now();
  let epochs = 0;
  await model.fit(split.train.x, split.train.y, {
    epochs: 1_000_000,
    batchSize: 256,
    shuffle: true,
    verbose: 0,
    callbacks: {
      onEpochEnd: () => {
        epochs += 1;
        const rmse = tf.tidy(() => {
          const predictions = model.predict(split.validation.x) as Tensor;
          return Math.sqrt(predictions.sub(split.validation.y).square().mean().dataSync()[0] as number);
        });
        const seconds = (performance.now() - start) / 1000;
        trace.seconds.push(seconds);
        trace.rmse.push(rmse);
        const reached = rmse <= TARGET_RMSE && seconds >= untilSeconds;
        if (reached || seconds >= capSeconds) model.stopTraining = true;
      },
    },
  });
  disposeModel(model);
  return { trace, epochs };
}

export const bench: KataBench = async ({ full }) => {
  const data = generateSquares(10_000, { seed: 42 });
  const split = splitValidation(data, 0.2);
  const yScale = fitScaler(split.train).yScale;

  const kataTrace: Trace = { seconds: [], rmse: [] };
  const progress = epochProgress('kata 03 recipe', EPOCHS);
  const start = performance.now();
  const trained = await trainReluNetwork(split, {
    onEpochEnd: (epoch, logs) => {
      kataTrace.seconds.push((performance.now() - start) / 1000);
      kataTrace.rmse.push(Math.sqrt(logs.val_loss ?? NaN) * yScale);
      progress.onEpochEnd(epoch, logs);
    },
  });
  progress.stop();
  const budget = (performance.now() - start) / 1000;
  disposeModel(trained.model);
  const kataRmse = kataTrace.rmse.at(-1) ?? NaN;

  const cap = full ? CAP_SECONDS_FULL : CAP_SECONDS;
  const answer = await trainAnswerRecipe(split, budget, Math.max(cap, budget));
  const answerRmse = rmseAt(answer.trace, budget);
  tf.dispose([data.x, data.y, split.train.x, split.train.y, split.validation.x, split.validation.y] as Tensor2D[]);

  // Task 6: the same recipe on the seed's 21 points and on 10,000 samples of [-10, 10].
  const fewMany = await timed(() => trainOnFewAndMany());
  [fewMany.result.few.model, fewMany.result.many.model].forEach(disposeModel);

  const rows: BenchRow[] = [
    {
      kata: KATA,
      recipe: 'kata recipe',
      detail: `${HIDDEN_UNITS}-${HIDDEN_UNITS} ReLU, scaled, ${EPOCHS} epochs, seed ${SEED}`,
      trainSeconds: budget,
      metric: 'validation RMSE',
      value: kataRmse,
      extra: { [`s to RMSE ${TARGET_RMSE}`]: firstTimeBelow(kataTrace, TARGET_RMSE), 'dead units recycled': trained.recycled },
    },
    {
      kata: KATA,
      recipe: 'seed recipe, same time',
      detail: `answer's 8-8 ReLU, raw numbers, ${answer.trace.seconds.filter((s) => s <= budget).length} epochs`,
      trainSeconds: budget,
      metric: 'validation RMSE',
      value: answerRmse,
      extra: {
        'RMSE ratio seed/kata': answerRmse / kataRmse,
        [`s to RMSE ${TARGET_RMSE}`]: firstTimeBelow(answer.trace, TARGET_RMSE),
        [`cap s`]: Math.max(cap, budget),
        'epochs run': answer.epochs,
        'RMSE at end': answer.trace.rmse.at(-1) ?? NaN,
      },
    },
    {
      kata: KATA,
      recipe: 'few vs many examples',
      detail: `same network, ${FEW_MANY_EPOCHS} epochs each: 21 integer points vs 10,000 samples of [-10, 10]`,
      trainSeconds: fewMany.seconds,
      metric: 'fine-grid RMSE, 10,000 samples',
      value: fewMany.result.manyRmse,
      extra: { 'fine-grid RMSE, 21 points': fewMany.result.fewRmse, 'RMSE ratio few/many': fewMany.result.fewRmse / fewMany.result.manyRmse },
    },
  ];
  return rows;
};
