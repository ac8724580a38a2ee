/**
 * A stand-in CLI for specs/supervised-child.test.ts: supervises a child (inherited stdio, as
 * `schemabench run` does) that prints a line, then, when its group is stopped, prints a stack
 * trace to stderr, as vitest does when a worker dies of the SIGINT first. Prints "started"
 * once the child has spoken; exits with the child's code, 130 when interrupted.
 */
import { runSupervised } from '../../harness/cli/supervised-child.ts';
import { handleSignals } from '../../harness/shutdown.ts';

// As the CLI does (main.ts): a signal stops whatever registered its cleanup, with one line.
handleSignals();

const child = `
process.stderr.write('child: working\\n');
process.on('SIGINT', () => { process.stderr.write('Error: Worker exited unexpectedly\\n    at ChildProcess.emit (node:events:524:28)\\n'); process.exit(1); });
setInterval(() => undefined, 1000);
`;
const outcome = await runSupervised(process.execPath, ['-e', child], { stdio: ['ignore', 'inherit', 'inherit'] });
process.exit(outcome.interrupted ? 130 : outcome.code);
