/**
 * Which TensorFlow.js backend a run uses, without loading TensorFlow.js into
 * the calling process: the probe runs in a child process. Jest's global
 * setup needs this: tfjs loaded there, outside the test sandboxes, breaks
 * tfjs' `instanceof Variable` checks inside them.
 */
import { spawnSync } from 'node:child_process';

export type BackendName = 'tensorflow' | 'cpu';

export interface BackendChoice {
  name: BackendName;
  /** Why the native backend is not in use (absent when it is). */
  fallbackReason?: string;
}

export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}

/** True unless KATA_BACKEND=cpu asks for the pure-JS backend. */
export function nativeWanted(): boolean {
  return process.env.KATA_BACKEND !== 'cpu';
}

export function probeBackend(): BackendChoice {
  if (!nativeWanted()) return { name: 'cpu', fallbackReason: 'KATA_BACKEND=cpu' };
  const probe = spawnSync(process.execPath, ['-e', "require('@tensorflow/tfjs-node')"], {
    cwd: __dirname,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (probe.status === 0) return { name: 'tensorflow' };
  const reason = /Error: (.*)/.exec(probe.stderr)?.[1] ?? `exit code ${String(probe.status)}`;
  return { name: 'cpu', fallbackReason: `@tensorflow/tfjs-node is not usable (${reason})` };
}

/** One line for logs, benchmarks and reports. */
export function describeBackend(choice: BackendChoice): string {
  return choice.name === 'tensorflow'
    ? 'TensorFlow.js backend: tensorflow (native libtensorflow via @tensorflow/tfjs-node)'
    : `TensorFlow.js backend: cpu (pure JavaScript; ${choice.fallbackReason ?? 'fallback'}). ` +
        'README, "Backends", says how to get the native one.';
}
