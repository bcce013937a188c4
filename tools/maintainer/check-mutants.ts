/**
 * `npm run check:mutants`: runs the kata tests against every wrong solution
 * in test/mutants/ (each must fail the test it names) and every valid
 * alternative (each must pass every test). One line per case, a summary per
 * kata; exit 1 if a wrong case passes, a valid one fails, or a case is stale.
 * A wrong case runs only the test it names (jest -t), which keeps the check fast
 * and proves that this test, not another, rejects it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { findKata } from '../shared/kata-arg';
import { listKatas } from '../shared/kata-list';
import { type KataCase, loadCases, makeCaseTree } from './mutants/cases';
import { pool } from '../shared/pool';
import { runKataTests } from '../shared/run-katas';

const program = new Command()
  .name('check:mutants')
  .description('Run the kata tests against the wrong and valid solutions in test/mutants/')
  .option('--kata <katas...>', 'only these katas (numbers or names)')
  .option('--case <names...>', 'only these cases')
  .option('--jobs <n>', 'cases run at once', '2')
  .option('--timeout <seconds>', 'time limit of one case', '240')
  .parse();

interface Verdict {
  c: KataCase;
  ok: boolean;
  line: string;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const firstLine = (text: string | undefined) => (text ?? '').split('\n').find((l) => l.trim() !== '')?.trim().slice(0, 160) ?? '';

async function runCase(c: KataCase, timeoutSeconds: number, slot: string): Promise<Verdict> {
  const label = `${c.kata.number} ${c.kind.padEnd(5)} ${c.name}${c.variant ? ` (variant ${c.variant})` : ''}`;
  let tree;
  try {
    tree = makeCaseTree(c.kata, c, slot);
  } catch (error) {
    return { c, ok: false, line: `✗ ${label}: ${error instanceof Error ? error.message : String(error)}` };
  }
  try {
    const run = await runKataTests({
      kataDir: tree.kataDir,
      testFiles: [c.kata.testFile],
      timeoutSeconds,
      runInBand: true,
      env: { KATA_VARIANT: String(c.variant ?? 0), KATA_ANIMATE: '0' },
      ...(c.kind === 'wrong' ? { testNamePattern: escapeRegExp(c.failing as string) } : {}),
    });
    const outcomes = run.byKata.get(c.kata.folder) ?? [];
    if (run.problem) return { c, ok: false, line: `✗ ${label}: the test run ${run.problem === 'timeout' ? `did not finish in ${timeoutSeconds} s` : 'crashed'}` };
    if (outcomes.some((o) => o.title === 'test file')) {
      return { c, ok: false, line: `✗ ${label}: the test file did not load: ${firstLine(outcomes[0]?.message)}` };
    }
    const ran = outcomes.filter((o) => o.status !== 'skipped');
    const failed = ran.filter((o) => o.status === 'failed');
    if (c.kind === 'wrong') {
      if (ran.length === 0) return { c, ok: false, line: `✗ ${label}: no test title contains "${c.failing}"` };
      if (failed.length === 0) return { c, ok: false, line: `✗ ${label}: PASSES "${ran[0]?.title}" (${c.why})` };
      // The right reason: some failure says what the case expects (the real cause), not just anything.
      const named = c.message ? failed.find((o) => (c.message as RegExp).test(o.message ?? '')) : failed[0];
      if (!named) {
        return { c, ok: false, line: `✗ ${label}: rejected by "${failed[0]?.title}", but no message matches ${String(c.message)}: ${firstLine(failed[0]?.message)}` };
      }
      return { c, ok: true, line: `✓ ${label}: rejected by "${named.title}"${c.message ? ' for the expected reason' : ''}: ${firstLine(named.message)}` };
    }
    if (failed.length > 0) return { c, ok: false, line: `✗ ${label}: REJECTED by "${failed[0]?.title}": ${firstLine(failed[0]?.message)}` };
    return { c, ok: true, line: `✓ ${label}: accepted, ${ran.length} tests pass (${c.why})` };
  } finally {
    tree.remove();
  }
}

async function main(): Promise<void> {
  const options = program.opts<{ kata?: string[]; case?: string[]; jobs: string; timeout: string }>();
  const katas = options.kata ? options.kata.map(findKata) : listKatas();
  const cases = loadCases(katas).filter((c) => !options.case || options.case.includes(c.name));
  if (cases.length === 0) throw new Error('No cases to run.');
  const started = performance.now();
  const verdicts: Verdict[] = [];
  // Slow katas first, so that two workers finish together.
  const order = [...cases].sort((a, b) => Number(b.kind === 'valid') - Number(a.kind === 'valid'));
  // One scratch tree per worker, reused case after case (see makeCaseTree).
  const freeSlots = Array.from({ length: Number(options.jobs) }, (_, i) => path.join(os.tmpdir(), `kata-mutants-${process.pid}`, `slot-${i}`));
  await pool(order, Number(options.jobs), async (c) => {
    const slot = freeSlots.pop() as string;
    const verdict = await runCase(c, Number(options.timeout), slot).finally(() => freeSlots.push(slot));
    verdicts.push(verdict);
    console.log(verdict.line);
  });
  console.log('\nkata  wrong rejected  valid accepted');
  for (const kata of katas) {
    const mine = verdicts.filter((v) => v.c.kata.folder === kata.folder);
    const count = (kind: 'wrong' | 'valid') => {
      const all = mine.filter((v) => v.c.kind === kind);
      return `${all.filter((v) => v.ok).length}/${all.length}`.padStart(14);
    };
    if (mine.length > 0) console.log(`${kata.number}  ${count('wrong')}  ${count('valid')}`);
  }
  fs.rmSync(path.join(os.tmpdir(), `kata-mutants-${process.pid}`), { recursive: true, force: true });
  const bad = verdicts.filter((v) => !v.ok);
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  const wrong = verdicts.filter((v) => v.c.kind === 'wrong');
  const valid = verdicts.filter((v) => v.c.kind === 'valid');
  console.log(
    `\ncheck:mutants: wrong solutions rejected ${wrong.filter((v) => v.ok).length}/${wrong.length}, ` +
      `valid ones accepted ${valid.filter((v) => v.ok).length}/${valid.length}, in ${seconds} s`,
  );
  if (bad.length > 0) {
    console.error(`\n${bad.length} case(s) did not go as expected:\n${bad.map((v) => v.line).join('\n')}`);
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error(`check:mutants: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
});
