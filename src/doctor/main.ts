// npm run doctor [-- --json] [-- --send-test]: prints one table (or JSON) of what was checked; exits 0 when nothing blocks
// going live, 1 otherwise.
import { renderTable } from './report.ts';
import { runDoctor } from './run.ts';

const FLAGS = ['--json', '--send-test', '--help'];

async function main() {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => !FLAGS.includes(a));
  if (args.includes('--help') || unknown.length) {
    if (unknown.length) console.error(`Unknown option ${unknown.join(' ')}.`);
    console.error(
      'Usage: npm run doctor [-- --json] [-- --send-test]\n  --json       machine-readable findings\n  --send-test  also send one message to OPERATOR_EMAIL',
    );
    process.exit(unknown.length ? 2 : 0);
  }
  if (!args.includes('--json')) process.stderr.write('… checking the settings and every provider (reads only; nothing is bought or charged)\n');
  const report = await runDoctor({ sendTest: args.includes('--send-test') });
  if (args.includes('--json')) console.log(JSON.stringify(report, null, 2));
  else {
    const where = report.nodeEnv ? `NODE_ENV=${report.nodeEnv}, SANDBOX=${report.sandbox}` : 'the settings do not load';
    console.log(renderTable(report.findings, `Conciergerie doctor (${where})`));
  }
  process.exit(report.ok ? 0 : 1);
}

main().catch((err: unknown) => {
  console.error(`npm run doctor failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
