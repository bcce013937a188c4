/**
 * Kata 05's mutation cases (npm run check:mutants -- --kata 05): wrong
 * solutions, each rejected by the test named in `failing`, and valid
 * alternatives that pass everything, under several variants.
 */
import type { MutantCase } from './types';

const relativeLine = '    return (prediction - truth) / truth;';
const bandLine = '  const sizes = relativeErrors(model, [...positive, ...positive.map((x) => -x)]).map(Math.abs);';
const secondLine = '  return left - 2 * middle + right;';
const slopeLine = '  return (right - left) / (2 * h);';

const wrong: MutantCase[] = [
  // ---- task 1
  { name: 'relative-by-prediction', kind: 'wrong', class: 'wrong-logic', failing: 'task 1:', why: 'divides by f(x) instead of x²', edits: [{ find: relativeLine, replace: '    return (prediction - truth) / prediction;' }] },
  { name: 'relative-sign-flipped', kind: 'wrong', class: 'wrong-logic', failing: 'task 1:', why: '(x² - f(x)) / x²: too low reads as positive', edits: [{ find: relativeLine, replace: '    return (truth - prediction) / truth;' }] },
  { name: 'relative-perfect-network', kind: 'wrong', class: 'hard-coded', failing: 'task 1:', why: 'assumes the network learned x²: returns 0 for every x', edits: [{ find: relativeLine, replace: '    void prediction;\n    return (truth - truth) / truth;' }] },
  { name: 'relative-accepts-zero', kind: 'wrong', class: 'wrong-logic', failing: 'task 1:', why: 'does not reject x = 0 (returns NaN there)', edits: [{ find: '  if (zero >= 0) throw', replace: '  if (zero < -1) throw' }] },
  { name: 'relative-leaks', kind: 'wrong', class: 'leak', failing: 'task 1:', why: 'predicts outside tf.tidy and never disposes', file: 'relative-leaks.ts' },
  // ---- task 2
  { name: 'band-one-side', kind: 'wrong', class: 'hidden-by-data', failing: 'task 2:', why: 'samples only x > 0 (the shipped networks are nearly symmetric)', edits: [{ find: bandLine, replace: '  const sizes = relativeErrors(model, positive).map(Math.abs);' }] },
  { name: 'band-signed', kind: 'wrong', class: 'wrong-logic', failing: 'task 2:', why: 'min and max of the signed relative errors, not of their size', edits: [{ find: bandLine, replace: '  const sizes = relativeErrors(model, [...positive, ...positive.map((x) => -x)]);' }] },
  { name: 'band-hard-coded', kind: 'wrong', class: 'hard-coded', failing: 'task 2:', why: 'returns the README example band { min: 0.31, max: 0.41 } outside the training range and 0..0.04 inside', edits: [{ find: '  const positive = linspace(from, to, BAND_POINTS);', replace: '  return from >= 1.5 * (to / 2) ? { min: 0.31, max: 0.41 } : { min: 0, max: 0.04 };\n  const positive = linspace(from, to, BAND_POINTS);' }] },
  { name: 'band-ignores-to', kind: 'wrong', class: 'wrong-logic', failing: 'task 2:', why: 'samples [from, 2·from] whatever `to` is', edits: [{ find: '  const positive = linspace(from, to, BAND_POINTS);', replace: '  const positive = linspace(from, 2 * from, BAND_POINTS);' }] },
  { name: 'band-no-validation', kind: 'wrong', class: 'wrong-logic', failing: 'task 2:', why: 'accepts bands with from <= 0 or to < from', edits: [{ find: '  if (!(from > 0 && to >= from)) throw', replace: '  if (Number.isNaN(from)) throw' }] },
  // ---- task 3
  { name: 'second-divided-by-h2', kind: 'wrong', class: 'hidden-by-data', failing: 'task 3:', why: 'divides by h² (the same at h = 1)', edits: [{ find: secondLine, replace: '  return (left - 2 * middle + right) / (h * h);' }] },
  { name: 'second-straight-line', kind: 'wrong', class: 'hard-coded', failing: 'task 3:', why: 'returns 0: "a ReLU network is a straight line"', edits: [{ find: secondLine, replace: '  return (left - middle) * 0 + (right - middle) * 0;' }] },
  { name: 'second-forward', kind: 'wrong', class: 'wrong-logic', failing: 'task 3:', why: 'forward difference f(x+2h) - 2f(x+h) + f(x)', edits: [{ find: '  const [left, middle, right] = predictValues(model, [x - h, x, x + h]) as [number, number, number];', replace: '  const [left, middle, right] = predictValues(model, [x, x + h, x + 2 * h]) as [number, number, number];' }] },
  // ---- task 4
  { name: 'slope-over-h', kind: 'wrong', class: 'wrong-logic', failing: 'task 4:', why: 'divides by h instead of 2h', edits: [{ find: slopeLine, replace: '  return (right - left) / h;' }] },
  { name: 'slope-forward', kind: 'wrong', class: 'wrong-logic', failing: 'task 4:', why: 'forward difference (f(x+h) - f(x)) / h', edits: [{ find: '  const [left, right] = predictValues(model, [x - h, x + h]) as [number, number];', replace: '  const [left, right] = predictValues(model, [x, x + h]) as [number, number];' }, { find: slopeLine, replace: '  return (right - left) / h;' }] },
  { name: 'slope-of-parabola', kind: 'wrong', class: 'hard-coded', failing: 'task 4:', why: 'returns a saturating guess, not a measurement', edits: [{ find: slopeLine, replace: '  void [left, right];\n  return (2 * x) / (1 + (x / 10) ** 4);' }] },
  // ---- plot (gamed: only the plot asks for exactly these 160 points)
  { name: 'plot-missing-series', kind: 'wrong', class: 'plot', failing: 'plot:', why: 'the relative-error series are missing (NaN) from the plot', edits: [{ find: '  const zero = xs.indexOf(0);', replace: '  if (xs.length === 160) return xs.map(() => NaN);\n  const zero = xs.indexOf(0);' }] },
  { name: 'plot-wrong-curve', kind: 'wrong', class: 'plot', failing: 'plot:', why: 'the plotted relative errors are signed the other way', edits: [{ find: relativeLine, replace: '    return xs.length === 160 ? (truth - prediction) / truth : (prediction - truth) / truth;' }] },
];

const valid: MutantCase[] = [
  { name: 'float32-tensors', kind: 'valid', file: 'float32-tensors.ts', why: 'relative errors, differences and slopes computed in float32 tensors' },
  { name: 'other-formulas', kind: 'valid', file: 'other-formulas.ts', why: 'f/x² - 1; 200 points per side, both ends; Δ² as a difference of differences; one predict per point' },
  {
    name: 'own-error-wording',
    kind: 'valid',
    why: 'refuses x = 0 and a bad band with messages of its own wording (KataInputError, naming the argument and the value)',
    edits: [
      { find: 'if (zero >= 0) throw new KataInputError(`xs[${zero}] is 0: the relative error of x² is undefined there.`);', replace: 'if (zero >= 0) throw new KataInputError(`No relative error at x = 0 (xs[${zero}]): x² is 0 there.`);' },
      { find: 'throw new KataInputError(`The band needs 0 < from <= to, got [${from}, ${to}].`);', replace: 'throw new KataInputError(`relativeErrorBand: from = ${from} and to = ${to} do not make a band of |x| above 0.`);' },
    ],
  },
  { name: 'fine-band', kind: 'valid', edits: [{ find: 'const BAND_POINTS = 50;', replace: 'const BAND_POINTS = 1001;' }], why: '1,001 points per side in a band' },
];

/** Each valid alternative passes at variant 0 and under two others. */
export const cases: MutantCase[] = [
  ...wrong,
  ...valid.flatMap((c) => [c, ...[4, 17].map((variant) => ({ ...c, name: `${c.name}-variant-${variant}`, variant }))]),
];
