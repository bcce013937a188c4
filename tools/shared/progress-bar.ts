/**
 * A progress bar (epoch, loss) for long training runs in the command-line
 * tools, drawn by cli-progress on stderr. Only on an interactive terminal:
 * in CI, in pipes and under jest it is a silent no-op.
 */
import { SingleBar } from 'cli-progress';

export interface EpochProgress {
  onEpochEnd(epoch: number, logs?: { loss?: number }): void;
  stop(): void;
}

export function interactive(stream: NodeJS.WriteStream = process.stderr): boolean {
  return Boolean(stream.isTTY) && !process.env.CI && !process.env.JEST_WORKER_ID;
}

export function epochProgress(label: string, totalEpochs: number, stream: NodeJS.WriteStream = process.stderr): EpochProgress {
  if (!interactive(stream)) return { onEpochEnd: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    format: `${label} [{bar}] epoch {value}/{total}  loss {loss}`,
    stream,
    hideCursor: true,
    clearOnComplete: true,
  });
  bar.start(totalEpochs, 0, { loss: '-' });
  return {
    onEpochEnd: (epoch, logs) => bar.update(epoch + 1, { loss: logs?.loss?.toExponential(3) ?? '-' }),
    stop: () => bar.stop(),
  };
}
