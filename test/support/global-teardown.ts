import fs from 'node:fs';
import path from 'node:path';
import { describeMeasured, formatMetric, outsideMeasured, readMetricRecords } from '../../lib/metric-records';
import { plotsDir } from '../../lib/plot-files';
import { RUN_STARTED } from './global-setup';
import { stopTypeCheck } from './type-check';

/**
 * Runs once after all test files: stops the type check if it still runs, and lists the checked
 * values of this run that pass but fall outside the range measured on valid recipes (each bound's
 * Measured data), so that a result far from every valid recipe's says so even when it passes.
 */
export default function globalTeardown(): void {
  stopTypeCheck();
  const started = Number(process.env[RUN_STARTED] ?? 0);
  const dir = path.join(plotsDir(), 'metrics');
  if (!fs.existsSync(dir)) return;
  const lines = fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.json') && fs.statSync(path.join(dir, file)).mtimeMs >= started)
    .sort()
    .flatMap((file) => {
      const kata = file.replace(/\.json$/, '');
      return readMetricRecords(plotsDir(), kata)
        .filter(outsideMeasured)
        .map((record) => `  ${[kata, /\btasks? [\d-]+/.exec(record.test)?.[0]].filter(Boolean).join(', ')}: ${record.name} = ${formatMetric(record.value)}: ${describeMeasured(record)}`);
    });
  if (lines.length > 0) process.stdout.write(`\nPassing values outside the range measured on valid recipes (worth a look; npm run gallery shows them too):\n${lines.join('\n')}\n`);
}
