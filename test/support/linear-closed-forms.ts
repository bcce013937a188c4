/**
 * Closed forms for kata 01, computed in float64 by the tests and their
 * calibration, never by the kata: the least-squares line by the normal
 * equations, and a few steps of full-batch SGD or Adam on w·x + b.
 */

export interface Points {
  name: string;
  xs: number[];
  ys: number[];
}

export const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** The least-squares line by the normal equations: the closed form task 2 must match. */
export function normalEquations({ xs, ys }: Points): { slope: number; intercept: number; mse: number } {
  const [mx, my] = [mean(xs), mean(ys)];
  const sxx = xs.reduce((s, x) => s + (x - mx) ** 2, 0);
  const sxy = xs.reduce((s, x, i) => s + (x - mx) * ((ys[i] as number) - my), 0);
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  return { slope, intercept, mse: mean(xs.map((x, i) => (slope * x + intercept - (ys[i] as number)) ** 2)) };
}

export const spread = (values: number[]) => Math.sqrt(mean(values.map((v) => (v - mean(values)) ** 2)));

/** MSE of the line w·x + b on (xs, ys), and its gradient. */
export function lineLoss(w: number, b: number, xs: number[], ys: number[]) {
  const residuals = xs.map((x, i) => w * x + b - (ys[i] as number));
  return {
    mse: mean(residuals.map((r) => r * r)),
    gradW: 2 * mean(residuals.map((r, i) => r * (xs[i] as number))),
    gradB: 2 * mean(residuals),
  };
}

export interface Replay {
  weights: [number, number];
  /** MSE before each step: what tfjs' fit logs. */
  before: number[];
  /** MSE after each step. */
  after: number[];
}

/**
 * Full-batch training of w·x + b replayed in float64: SGD, or Adam as tfjs
 * implements it (bias-corrected moments, epsilon 1e-7).
 */
export function replayTraining(start: [number, number], xs: number[], ys: number[], steps: number, optimizer: { sgd: number } | { adam: number }): Replay {
  let [w, b] = start;
  const [beta1, beta2, epsilon] = [0.9, 0.999, 1e-7];
  const m = [0, 0];
  const v = [0, 0];
  const before: number[] = [];
  const after: number[] = [];
  for (let t = 1; t <= steps; t++) {
    const { mse, gradW, gradB } = lineLoss(w, b, xs, ys);
    before.push(mse);
    const grads = [gradW, gradB];
    const update = grads.map((g, i) => {
      if ('sgd' in optimizer) return optimizer.sgd * g;
      m[i] = beta1 * (m[i] as number) + (1 - beta1) * g;
      v[i] = beta2 * (v[i] as number) + (1 - beta2) * g * g;
      const mHat = (m[i] as number) / (1 - beta1 ** t);
      const vHat = (v[i] as number) / (1 - beta2 ** t);
      return (optimizer.adam * mHat) / (Math.sqrt(vHat) + epsilon);
    });
    w -= update[0] as number;
    b -= update[1] as number;
    after.push(lineLoss(w, b, xs, ys).mse);
  }
  return { weights: [w, b], before, after };
}
