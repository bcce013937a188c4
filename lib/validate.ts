/**
 * Input checks with messages that name the problem, so that bad input fails
 * here and not deep inside tfjs.
 */

export class KataInputError extends Error {
  override name = 'KataInputError';
}

export function assertFiniteNumbers(name: string, values: ArrayLike<number>): void {
  if (values.length === 0) throw new KataInputError(`${name} is empty: at least one value is needed.`);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new KataInputError(`${name}[${i}] is ${String(v)}: every value must be a finite number.`);
    }
  }
}

/** Two equally long, non-empty lists of finite numbers (xs and their labels). */
export function assertPairs(xs: ArrayLike<number>, ys: ArrayLike<number>, names: [string, string] = ['xs', 'ys']): void {
  assertFiniteNumbers(names[0], xs);
  assertFiniteNumbers(names[1], ys);
  if (xs.length !== ys.length) {
    throw new KataInputError(
      `${names[0]} has ${xs.length} values but ${names[1]} has ${ys.length}: each x needs exactly one label.`,
    );
  }
}

export function assertPositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new KataInputError(`${name} must be a positive whole number, got ${String(value)}.`);
  }
}

export function assertInterval(name: string, low: number, high: number): void {
  if (!Number.isFinite(low) || !Number.isFinite(high) || !(low < high)) {
    throw new KataInputError(`${name} must be finite with low < high, got [${String(low)}, ${String(high)}].`);
  }
}

export function assertFraction(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0 || value >= 1) {
    throw new KataInputError(`${name} must lie strictly between 0 and 1, got ${String(value)}.`);
  }
}
